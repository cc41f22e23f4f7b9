package io.flowrecon.adjoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowrecon.adjoint.check.OnnxChecker;
import io.flowrecon.adjoint.onnx.Attrs;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.Ops;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graphs the adjoint builder emits must be valid ONNX, not merely accepted by ONNX Runtime: checked with
 * the ONNX project's checker (Debian's python3-onnx; skipped where /usr/bin/python3 lacks it).
 */
class OnnxCheckerTest {
    @TempDir
    Path dir;

    @Test
    void adjointOfEveryRuleFamilyPassesTheChecker() throws Exception {
        assumeTrue(OnnxChecker.available(), "no /usr/bin/python3 with the onnx package (python3-onnx): skipped");
        GraphBuilder g = new GraphBuilder("all_families");
        Ops ops = new Ops(g);
        String z = g.inputFloat("z", 2, 4);
        String w = g.initializer("w", new float[4 * 18], 4, 18);
        String x = ops.reshape(ops.gemm(z, w, null, 1f, 1f, false, false), 2, 2, 3, 3);
        x = ops.convTranspose(x, g.initializer("k1", new float[2 * 3 * 3 * 3], 2, 3, 3, 3), null,
                new long[] {2, 2}, new long[] {1, 1, 1, 1}, new long[] {1, 1}, 1, new long[] {1, 1});
        x = g.node("InstanceNormalization", List.of(x, g.initializer("s", new float[] {1, 1, 1}, 3),
                g.initializer("b", new float[3], 3)));
        x = ops.leakyRelu(x, 0.2f);
        x = ops.conv(x, g.initializer("k2", new float[4 * 3 * 3 * 3], 4, 3, 3, 3), null, new long[] {1, 1},
                new long[] {1, 1, 1, 1}, new long[] {1, 1}, 1);
        List<String> p = ops.split(x, 1, 1, 3);
        x = ops.concat(1, ops.sigmoid(p.get(1)), ops.tanh(p.get(0)));
        x = g.node("Resize", List.of(x, "", g.constantFloats("sc", new float[] {1, 1, 0.5f, 0.5f}, 4)),
                Attrs.s("mode", "linear"));
        x = ops.pad(ops.slice(x, new long[] {1}, new long[] {3}, new long[] {2}), 0, 0, 1, 0, 0, 0, 0, 1);
        String residual = ops.sub(x, g.inputFloat("y", 2, 4, 3, 4));
        String loss = ops.reduceSum(ops.mul(residual, residual), false, 1, 2, 3);
        g.output(x);
        g.output(loss);
        ModelProto m = AdjointBuilder.standard().differentiate(g.build(), loss, List.of("z", "w", "k1", "k2"));

        assertEquals(Optional.empty(), OnnxChecker.problems(m, dir));
    }
}
