package io.flowrecon.adjoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.check.AdjointCheck;
import io.flowrecon.adjoint.check.OrtRunner;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example of adjoint/README.md, compiled and run; the README must show exactly this code. */
class ReadmeExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/io/flowrecon/adjoint/ReadmeExampleTest.java");
    private static final Path README = Path.of("README.md");

    @Test
    void theExampleBuildsRunsAndChecksAReversePass() throws Exception {
        // readme:begin
        // 1. A small graph: one loss per row of x, loss = sum_j tanh(x W)_j^2.
        GraphBuilder g = new GraphBuilder("example");
        Ops ops = new Ops(g);
        String x = g.inputFloat("x", 2, 3);
        String w = g.initializer("w", new float[] {0.5f, -1f, 0.25f, 2f, -0.5f, 1f}, 3, 2);
        String h = ops.tanh(ops.matMul(x, w));
        String loss = ops.reduceSum(ops.mul(h, h), false, 1);
        g.output(loss);
        ModelProto forward = g.build();

        // 2. Its reverse pass: the same graph plus an output grad_x = d(sum of loss)/dx.
        ModelProto withGradients = AdjointBuilder.standard().differentiate(forward, loss, List.of("x"));

        // 3. Forward and backward in one ONNX Runtime session.
        float[] xs = {0.1f, 0.2f, 0.3f, -0.4f, 0.5f, -0.6f};
        float[] gradX;
        try (OrtRunner ort = new OrtRunner(withGradients)) {
            gradX = ort.run(Map.of("x", xs), Map.of("x", new long[] {2, 3}), List.of("grad_x")).get("grad_x");
        }

        // 4. The check: the reverse pass against central finite differences of the forward pass.
        double error = AdjointCheck.of(forward, loss, List.of("x"), Map.of("x", xs)).finiteDifferenceError();
        // readme:end

        // By hand: d/dx_i sum_j t_j^2 = sum_j 2 t_j (1 - t_j^2) W[i, j], t = tanh(x W); float32 in ORT, so 1e-5.
        float[] wv = {0.5f, -1f, 0.25f, 2f, -0.5f, 1f};
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < 3; i++) {
                double expected = 0;
                for (int j = 0; j < 2; j++) {
                    double a = 0;
                    for (int k = 0; k < 3; k++) {
                        a += xs[r * 3 + k] * (double) wv[k * 2 + j];
                    }
                    double t = Math.tanh(a);
                    expected += 2 * t * (1 - t * t) * wv[i * 2 + j];
                }
                assertEquals(expected, gradX[r * 3 + i], 1e-5, "grad_x[" + r + ", " + i + "]");
            }
        }
        // Same bound as the rules' finite-difference tests (VjpRulesFiniteDifferenceTest.TOLERANCE).
        assertTrue(error < VjpRulesFiniteDifferenceTest.TOLERANCE, "finite-difference error " + error);
    }

    @Test
    void theReadmeShowsTheExampleVerbatim() throws Exception {
        List<String> lines = Files.readAllLines(SOURCE, StandardCharsets.UTF_8);
        int begin = lines.indexOf("        // readme:begin");
        int end = lines.indexOf("        // readme:end");
        StringBuilder example = new StringBuilder();
        for (String line : lines.subList(begin + 1, end)) {
            example.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        assertTrue(readme.contains(example), "adjoint/README.md lacks the example of " + SOURCE + ":\n" + example);
    }
}
