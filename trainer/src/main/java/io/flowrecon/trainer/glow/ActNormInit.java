package io.flowrecon.trainer.glow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Actnorm's data-dependent initialisation (Glow section 3.1): on a first batch, each actnorm gets
 * bias = -mean and logScale = -log(std + 1e-6) per channel, so its output has zero mean and unit variance per
 * channel. Done in flow order, each actnorm seeing the already-initialised layers before it.
 */
final class ActNormInit {
    private ActNormInit() {
    }

    static void initialise(GlowModel model, INDArray batch) {
        var sd = model.sameDiff();
        int step = 0;
        for (String input : model.actNormInputs()) {
            INDArray h = model.run(batch, input).get(input);
            INDArray mean = h.mean(0, 2, 3);
            // population std over batch and pixels
            INDArray std = Transforms.sqrt(h.sub(mean.reshape(1, mean.length(), 1, 1)).muli(
                    h.sub(mean.reshape(1, mean.length(), 1, 1))).mean(0, 2, 3), false);
            String prefix = prefixOf(model, step++);
            sd.getVariable(prefix + ".actnorm.bias").getArr().assign(mean.neg().reshape(1, mean.length(), 1, 1));
            sd.getVariable(prefix + ".actnorm.logScale").getArr()
                    .assign(Transforms.log(std.add(1e-6), false).negi().reshape(1, mean.length(), 1, 1));
        }
    }

    private static String prefixOf(GlowModel model, int flatStep) {
        int k = model.architecture().stepsPerLevel();
        return "l" + flatStep / k + ".k" + flatStep % k;
    }
}
