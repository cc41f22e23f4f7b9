package io.flowrecon.adjoint.check;

import io.flowrecon.adjoint.onnx.proto.ModelProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the ONNX project's own checker ({@code onnx.checker.check_model(full_check=True)}, from Debian's
 * python3-onnx) on a model: ONNX Runtime accepts some graphs the specification does not, and the checker is the
 * specification's word. Needs {@code /usr/bin/python3} with the {@code onnx} package ({@link #available}).
 */
public final class OnnxChecker {
    private static final String PYTHON = "/usr/bin/python3";

    private OnnxChecker() {
    }

    /** Whether /usr/bin/python3 exists and imports onnx (tests skip the checker where it does not). */
    public static boolean available() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON, "-c", "import onnx").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** The checker's message where the model fails check_model(full_check=True); empty where it passes. */
    public static Optional<String> problems(ModelProto model, Path dir) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "model", ".onnx");
        Files.write(file, model.toByteArray());
        Process p = new ProcessBuilder(PYTHON, "-c",
                "import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return Optional.of("checker timed out");
        }
        return p.exitValue() == 0 ? Optional.empty() : Optional.of(out);
    }

    /**
     * Runs a Python snippet with the model file as sys.argv[1] (to ask the onnx package about a model, e.g. its
     * own shape inference); returns the snippet's output and fails on a non-zero exit.
     */
    public static String runPython(String script, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", script, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("python failed: " + out);
        }
        return out;
    }
}
