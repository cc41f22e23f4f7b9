package io.flowrecon.adjoint.torch;

import io.flowrecon.adjoint.onnx.GraphBuilder;
import io.flowrecon.adjoint.onnx.OnnxFiles;
import io.flowrecon.adjoint.onnx.Tensors;
import io.flowrecon.adjoint.onnx.proto.ModelProto;
import io.flowrecon.adjoint.onnx.proto.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A model exported by {@code tools/torch-export/export_fixtures.py} with {@code torch.onnx.export}, read from the
 * class path ({@code /torch/NAME.onnx}), with the input of batch 2 the script fed it and the output torch computed
 * and, for a random probe w of the output's shape, the vector-Jacobian product J^T w that torch autograd computed
 * ({@code NAME.input.pb}, {@code .output.pb}, {@code .probe.pb}, {@code .gradient.pb}: serialised TensorProtos,
 * as in ONNX's test data sets).
 * Other modules' tests reach these files through adjoint's test-jar.
 */
public record TorchFixture(String name, ModelProto model, TensorProto input, TensorProto output, TensorProto probe,
                           TensorProto gradient) {
    /** Every fixture the script writes (see torch/manifest.json). */
    public static final List<String> NAMES = List.of("glow16", "glow16-encoder", "dcgan16-op17", "dcgan16-op13",
            "deepdecoder32-op17", "deepdecoder32-op13", "glow16-op18", "deepdecoder32-op18");

    /** The one-pattern cases of torch/ops/ (index.txt), as names load takes ("ops/slice-steps-op13"...). */
    public static List<String> operatorCases() {
        return new String(bytes("ops/index.txt"), java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> !l.isBlank()).map(l -> "ops/" + l.strip()).toList();
    }

    public static TorchFixture load(String name) {
        ModelProto model = OnnxFiles.parse(bytes(name + ".onnx"), "torch/" + name + ".onnx");
        return new TorchFixture(name, model, tensor(name + ".input.pb"), tensor(name + ".output.pb"),
                tensor(name + ".probe.pb"), tensor(name + ".gradient.pb"));
    }

    public String inputName() {
        return model.getGraph().getInput(0).getName();
    }

    public String outputName() {
        return model.getGraph().getOutput(0).getName();
    }

    public long[] inputShape() {
        return Tensors.shape(input).dims();
    }

    /** The model with its symbolic batch axis fixed to the reference input's batch (our graphs are static). */
    public ModelProto atReferenceBatch() {
        return GraphBuilder.from(model, Map.of(inputName(), inputShape())).build();
    }

    private static TensorProto tensor(String file) {
        try {
            return TensorProto.parseFrom(bytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("torch/" + file + " is not a TensorProto", e);
        }
    }

    private static byte[] bytes(String file) {
        try (InputStream in = TorchFixture.class.getResourceAsStream("/torch/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture torch/" + file + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read torch/" + file, e);
        }
    }
}
