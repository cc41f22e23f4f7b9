package io.flowrecon.adjoint.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.adjoint.check.AdjointCheck;
import io.flowrecon.adjoint.check.OnnxChecker;
import io.flowrecon.adjoint.check.OrtRunner;
import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.OnnxFiles;
import io.flowrecon.adjoint.onnx.Tensors;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PyTorch-exported fixtures, as a user would bring them: they import with their symbolic batch axis fixed,
 * compute what torch computed, and their reverse passes agree with torch autograd and with finite differences.
 */
class TorchFixturesTest {
    /**
     * ONNX Runtime against torch, both float32 on the CPU: the kernels sum in different orders, so outputs of
     * O(1) differ by a few ulps per layer (we measured at most 6e-7 absolute); a wrong operator semantics (a
     * coordinate transform, a rounding mode, an axis) moves outputs by 1e-2 or more.
     */
    private static final double FORWARD_TOLERANCE = 1e-5;
    /**
     * Our J^T w against torch autograd's, relative in the 2-norm. Both are float32 sums of a few hundred terms
     * per element in different orders: about 1e-6 relative. A ReLU input within rounding of zero could take the
     * other branch in one of them, but that changes a handful of elements, not the norm. A wrong adjoint is off
     * by O(1) on the elements it touches.
     */
    private static final double GRADIENT_TOLERANCE = 1e-4;

    /** As VjpRulesFiniteDifferenceTest: float32 central differences bottom out near 1e-4 relative. */
    private static final double FINITE_DIFFERENCE_TOLERANCE = 2e-3;
    /**
     * The Deep Decoder applies ReLU to 16k values of its last 32x32 maps: a float32 step h >= 1e-3 moves some of
     * them across zero, and each crossing costs central differences O(h) of that element's slope. We measured
     * 9e-2 while its J^T w agrees with torch autograd to 4e-7, so here finite differences only catch gross
     * errors (a sign, a missing layer: O(1)); {@link #reversePassMatchesTorchAutograd} is the precise check.
     */
    private static final double RELU_HEAVY_FINITE_DIFFERENCE_TOLERANCE = 0.25;

    static List<String> names() {
        return TorchFixture.NAMES;
    }

    /** The priors, then one case per operator pattern torch writes (torch/ops/). */
    static List<String> allNames() {
        List<String> all = new java.util.ArrayList<>(TorchFixture.NAMES);
        all.addAll(TorchFixture.operatorCases());
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allNames")
    void forwardMatchesTorch(String name) throws Exception {
        TorchFixture f = TorchFixture.load(name);
        ModelProto model = f.atReferenceBatch();
        assertArrayEquals(Tensors.shape(f.output()).dims(),
                GraphBuilder.from(model).shape(f.outputName()).dims(), "inferred output shape");
        float[] expected = Tensors.toFloats(f.output());
        float[] actual;
        try (OrtRunner ort = new OrtRunner(model)) {
            actual = ort.run(Map.of(f.inputName(), Tensors.toFloats(f.input())),
                    Map.of(f.inputName(), f.inputShape()), List.of(f.outputName())).get(f.outputName());
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        System.out.printf("forward %-20s max |ort - torch| %.2e%n", name, worst);
        assertTrue(worst < FORWARD_TOLERANCE, name + ": max |ort - torch| = " + worst);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allNames")
    void reversePassMatchesTorchAutograd(String name) throws Exception {
        TorchFixture f = TorchFixture.load(name);
        GraphBuilder g = GraphBuilder.from(f.model(), Map.of(f.inputName(), f.inputShape()));
        long[] outShape = Tensors.shape(f.probe()).dims();
        String probe = g.inputFloat("probe", outShape);
        String grad = AdjointBuilder.standard().appendVjp(g, f.outputName(), probe, List.of(f.inputName()))
                .get(f.inputName());
        g.output(grad);
        float[] ours;
        try (OrtRunner ort = new OrtRunner(g.build())) {
            ours = ort.run(Map.of(f.inputName(), Tensors.toFloats(f.input()), probe, Tensors.toFloats(f.probe())),
                    Map.of(f.inputName(), f.inputShape(), probe, outShape), List.of(grad)).get(grad);
        }
        float[] torch = Tensors.toFloats(f.gradient());
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < torch.length; i++) {
            diff += (ours[i] - (double) torch[i]) * (ours[i] - (double) torch[i]);
            norm += (double) torch[i] * torch[i];
        }
        double err = Math.sqrt(diff / norm);
        System.out.printf("autograd %-20s |ours - torch| / |torch| %.2e%n", name, err);
        assertTrue(err < GRADIENT_TOLERANCE, name + ": relative error " + err);
    }

    /** The ONNX checker is stricter than ONNX Runtime; one Python run checks every fixture's reverse pass. */
    @Test
    void reversePassesPassTheOnnxChecker(@TempDir Path dir) throws Exception {
        assumeTrue(OnnxChecker.available(), "no /usr/bin/python3 with the onnx package (python3-onnx): skipped");
        for (String name : allNames()) {
            TorchFixture f = TorchFixture.load(name);
            OnnxFiles.write(AdjointBuilder.standard().differentiate(f.atReferenceBatch(), f.outputName(),
                    List.of(f.inputName())), dir.resolve(name.replace('/', '_') + ".onnx"));
        }
        String failures = OnnxChecker.runPython(String.join("\n",
                "import onnx, os, sys",
                "for f in sorted(os.listdir(sys.argv[1])):",
                "    try:",
                "        onnx.checker.check_model(onnx.load(os.path.join(sys.argv[1], f)), full_check=True)",
                "    except Exception as e:",
                "        print(f + ': ' + str(e).splitlines()[0])"), dir);
        assertEquals("", failures.strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void reversePassMatchesFiniteDifferences(String name) throws Exception {
        TorchFixture f = TorchFixture.load(name);
        double err = AdjointCheck.of(f.atReferenceBatch(), f.outputName(), List.of(f.inputName()),
                Map.of(f.inputName(), Tensors.toFloats(f.input()))).finiteDifferenceError();
        double tolerance = name.startsWith("deepdecoder") ? RELU_HEAVY_FINITE_DIFFERENCE_TOLERANCE
                : FINITE_DIFFERENCE_TOLERANCE;
        System.out.printf("FD %-20s %.2e (tolerance %.2g)%n", name, err, tolerance);
        assertTrue(err < tolerance, name + ": relative error " + err);
    }
}
