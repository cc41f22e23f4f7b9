package io.flowrecon.shared.prior;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowrecon.shared.onnx.proto.ModelProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs the ONNX project's checker with full shape inference (Debian's python3-onnx) on written graphs; skips
 * where it is absent. The same approach as the onnx package's test helper, which is package-private there.
 */
final class OnnxCheck {
    private static final String PYTHON = "/usr/bin/python3";

    private OnnxCheck() {
    }

    static void assumeAvailable() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "no " + PYTHON + ": the ONNX checker test is skipped");
        Process p = new ProcessBuilder(PYTHON, "-c", "import onnx").redirectErrorStream(true).start();
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                "/usr/bin/python3 lacks the onnx package (apt-get install python3-onnx): checker test skipped");
    }

    /**
     * Checks each model (check_model with full_check, which also runs strict shape inference) in one Python
     * process; returns null when all pass, else the checker's message.
     */
    static String check(Path dir, ModelProto... models) throws IOException, InterruptedException {
        StringBuilder files = new StringBuilder();
        String[] command = new String[3 + models.length];
        command[0] = PYTHON;
        command[1] = "-c";
        command[2] = "import onnx,sys\nfor f in sys.argv[1:]: onnx.checker.check_model(onnx.load(f), full_check=True)";
        for (int i = 0; i < models.length; i++) {
            Path file = Files.createTempFile(dir, "model", ".onnx");
            Files.write(file, models[i].toByteArray());
            command[3 + i] = file.toString();
            files.append(file).append(' ');
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "checker timed out on " + files;
        }
        return p.exitValue() == 0 ? null : out;
    }
}
