package io.flowrecon.adjoint.onnx;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowrecon.adjoint.onnx.proto.ModelProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs the ONNX project's own checker (Debian's python3-onnx) on a model; skips where it is not installed.
 * The one helper for this module's tests (the onnx and prior packages).
 */
public final class OnnxChecker {
    private static final String PYTHON = "/usr/bin/python3";

    private OnnxChecker() {
    }

    public static void assumeAvailable() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "no " + PYTHON + ": the ONNX checker test is skipped");
        Process p = new ProcessBuilder(PYTHON, "-c", "import onnx").redirectErrorStream(true).start();
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                "/usr/bin/python3 lacks the onnx package (apt-get install python3-onnx): checker test skipped");
    }

    /** Runs a Python snippet with the model path as sys.argv[1]; returns its output, failing on a non-zero exit. */
    static String runPython(String script, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", script, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("python failed: " + out);
        }
        return out;
    }

    /** Returns null when the model passes check_model(full_check=True), else the checker's message. */
    public static String check(ModelProto model, Path dir) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "model", ".onnx");
        Files.write(file, model.toByteArray());
        Process p = new ProcessBuilder(PYTHON, "-c",
                "import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "checker timed out";
        }
        return p.exitValue() == 0 ? null : out;
    }
}
