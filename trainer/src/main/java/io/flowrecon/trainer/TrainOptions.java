package io.flowrecon.trainer;

import java.nio.file.Path;

/**
 * The settings of one training run, as {@link TrainCommand} reads them from {@code train glow|dcgan --data KIND:DIR
 * --out DIR [options]}.
 *
 * @param family                 glow or dcgan
 * @param data                   dataset spec, see {@link io.flowrecon.trainer.data.DataSources}
 * @param out                    run folder: checkpoint/ and bundle/ go inside
 * @param minutes                wall-clock budget of this invocation
 * @param checkpointEveryMinutes interval between checkpoints
 * @param resume                 continue from out/checkpoint when there is one
 * @param excludedClass          class left out of training (biased prior), or null
 * @param limit                  use at most this many training images (0: all)
 * @param maxSteps               stop after this many total steps (0: only the time budget)
 * @param learningRate           Adam's rate: glow default 1e-3, dcgan 2e-4 (Radford et al.)
 * @param latent                 dcgan latent size (default 100)
 * @param features               dcgan width of the last hidden layer (default 64)
 * @param command                the command line that reproduces the run, recorded in the card
 */
public record TrainOptions(String family, String data, Path out, double minutes, double checkpointEveryMinutes,
                           boolean resume, Integer excludedClass, int limit, long maxSteps, int levels,
                           int stepsPerLevel, int hidden, int batchSize, double learningRate, int warmupSteps,
                           double maxGradNorm, int nBits, long seed, int reportEvery, int evalImages, String id,
                           int latent, int features, String command) {

    Path checkpointDir() {
        return out.resolve("checkpoint");
    }

    Path bundleDir() {
        return out.resolve("bundle");
    }
}
