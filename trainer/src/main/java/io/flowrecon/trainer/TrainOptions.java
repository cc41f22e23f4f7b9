package io.flowrecon.trainer;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The command line of {@link TrainCli}: {@code train glow|dcgan --data KIND:DIR --out DIR [options]}.
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
 */
public record TrainOptions(String family, String data, Path out, double minutes, double checkpointEveryMinutes,
                           boolean resume, Integer excludedClass, int limit, long maxSteps, int levels,
                           int stepsPerLevel, int hidden, int batchSize, double learningRate, int warmupSteps,
                           double maxGradNorm, int nBits, long seed, int reportEvery, int evalImages, String id,
                           int latent, int features, String command) {

    static final String USAGE = """
            usage: train glow|dcgan --data KIND:DIR --out DIR [options]
              --data fmnist:/usr/share/datasets/fashion-mnist | mnist:DIR | celeba:DIR
              --out DIR                      run folder (checkpoint/ and bundle/ are written inside)
              --minutes N                    wall-clock budget of this invocation (default 60)
              --checkpoint-every-minutes M   default 5
              --resume                       continue from DIR/checkpoint (model and Adam state)
              --exclude-class K              leave class K out of the training set (biased prior)
              --limit N                      use only the first N training images
              --max-steps N                  stop after N steps in total
              glow: --levels L (2) --steps K (8) --hidden H (64) --n-bits B (8)
              dcgan: --latent D (100) --features F (64); Adam(lr, beta1 0.5)
              --batch B (32 glow, 64 dcgan) --lr R (1e-3 glow, 2e-4 dcgan) --seed S (1)
              glow: --warmup S (500) --max-grad-norm G (50)
              --report-every N (10 steps) --eval-images N (1000 test images) --id MODEL_ID
            """;

    static TrainOptions parse(List<String> args) {
        Deque<String> a = new ArrayDeque<>(args);
        if (a.isEmpty() || !a.peekFirst().equals("train")) {
            throw new IllegalArgumentException("the first word must be 'train', 'verify' or 'sample'");
        }
        a.removeFirst();
        String family = a.pollFirst();
        if (!"glow".equals(family) && !"dcgan".equals(family)) {
            throw new IllegalArgumentException("family must be glow or dcgan, got " + family);
        }
        String data = null;
        Path out = null;
        double minutes = 60;
        double every = 5;
        boolean resume = false;
        Integer excluded = null;
        int limit = 0;
        long maxSteps = 0;
        int levels = 2;
        int steps = 8;
        int hidden = 64;
        boolean glow = family.equals("glow");
        int batch = glow ? 32 : 64;
        double lr = glow ? 1e-3 : 2e-4;
        int latent = 100;
        int features = 64;
        int warmup = 500;
        double clip = 50;
        int nBits = 8;
        long seed = 1;
        int reportEvery = 10;
        int evalImages = 1000;
        String id = null;
        while (!a.isEmpty()) {
            String flag = a.removeFirst();
            switch (flag) {
                case "--data" -> data = value(a, flag);
                case "--out" -> out = Path.of(value(a, flag));
                case "--minutes" -> minutes = positive(flag, Double.parseDouble(value(a, flag)));
                case "--checkpoint-every-minutes" -> every = positive(flag, Double.parseDouble(value(a, flag)));
                case "--resume" -> resume = true;
                case "--exclude-class" -> excluded = Integer.parseInt(value(a, flag));
                case "--limit" -> limit = Integer.parseInt(value(a, flag));
                case "--max-steps" -> maxSteps = Long.parseLong(value(a, flag));
                case "--levels" -> levels = Integer.parseInt(value(a, flag));
                case "--steps" -> steps = Integer.parseInt(value(a, flag));
                case "--hidden" -> hidden = Integer.parseInt(value(a, flag));
                case "--batch" -> batch = Integer.parseInt(value(a, flag));
                case "--lr" -> lr = positive(flag, Double.parseDouble(value(a, flag)));
                case "--warmup" -> warmup = Integer.parseInt(value(a, flag));
                case "--max-grad-norm" -> clip = Double.parseDouble(value(a, flag));
                case "--n-bits" -> nBits = Integer.parseInt(value(a, flag));
                case "--seed" -> seed = Long.parseLong(value(a, flag));
                case "--report-every" -> reportEvery = Math.max(1, Integer.parseInt(value(a, flag)));
                case "--eval-images" -> evalImages = Integer.parseInt(value(a, flag));
                case "--id" -> id = value(a, flag);
                case "--latent" -> latent = Integer.parseInt(value(a, flag));
                case "--features" -> features = Integer.parseInt(value(a, flag));
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (data == null) {
            throw new IllegalArgumentException("--data is required");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        return new TrainOptions(family, data, out, minutes, every, resume, excluded, limit, maxSteps, levels, steps,
                hidden, batch, lr, warmup, clip, nBits, seed, reportEvery, evalImages, id, latent, features,
                "./flowrecon " + String.join(" ", args));
    }

    Path checkpointDir() {
        return out.resolve("checkpoint");
    }

    Path bundleDir() {
        return out.resolve("bundle");
    }

    private static String value(Deque<String> a, String flag) {
        String v = a.pollFirst();
        if (v == null || v.startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return v;
    }

    private static double positive(String flag, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(flag + " must be positive, got " + v);
        }
        return v;
    }
}
