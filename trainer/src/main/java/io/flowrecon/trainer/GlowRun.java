package io.flowrecon.trainer;

import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.shared.prior.PriorBundles;
import io.flowrecon.shared.prior.PriorCardInfo;
import io.flowrecon.trainer.bundle.BundleWeights;
import io.flowrecon.trainer.data.DataSources;
import io.flowrecon.trainer.data.ImageDataset;
import io.flowrecon.trainer.glow.GlowCheckpoints;
import io.flowrecon.trainer.glow.GlowTrainer;
import io.flowrecon.trainer.optim.Adam;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One invocation of {@code train glow}: start or resume, train within the budget, checkpoint, export. */
final class GlowRun {
    private final TrainOptions o;
    private final PrintStream out;

    GlowRun(TrainOptions options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    int run() throws Exception {
        DataSources.Split data = RunSteps.openData(o, out);
        GlowTrainer trainer;
        long trainedBefore = 0;
        if (RunSteps.resumes(o, out, GlowCheckpoints.exists(o.checkpointDir()),
                dir -> GlowCheckpoints.readInfo(dir).dataset(), data.dataset())) {
            trainer = GlowCheckpoints.resume(o.checkpointDir(), data.train());
            trainedBefore = GlowCheckpoints.readInfo(o.checkpointDir()).trainedMillis();
            RunSteps.resumed(out, trainer.step(), o.checkpointDir());
        } else {
            GlowArchitecture arch = new GlowArchitecture(data.train().shape().channels(),
                    data.train().shape().height(), o.levels(), o.stepsPerLevel(), o.hidden());
            GlowTrainer.Settings settings = new GlowTrainer.Settings(o.batchSize(), o.nBits(), o.seed(),
                    new Adam.Settings(o.learningRate(), 0.9, 0.999, 1e-8, o.warmupSteps(), o.maxGradNorm()));
            trainer = GlowTrainer.start(arch, settings, data.train());
        }
        out.println("model: " + trainer.model().architecture() + ", " + trainer.model().trainableNames().size()
                + " parameter arrays, " + trainer.settings());

        Progress progress = new Progress(out, (long) (o.minutes() * 60_000));
        RunSteps.CheckpointClock checkpoints = new RunSteps.CheckpointClock(o.checkpointEveryMinutes());
        double lossSum = 0;
        int lossCount = 0;
        double lastLoss = Double.NaN;
        long startStep = trainer.step();
        while (!progress.budgetSpent() && (o.maxSteps() <= 0 || trainer.step() < o.maxSteps())) {
            lastLoss = trainer.trainStep();
            lossSum += lastLoss;
            lossCount++;
            if (trainer.step() % o.reportEvery() == 0) {
                progress.report(trainer.step(), (trainer.step() - startStep) * o.batchSize(), lossSum / lossCount,
                        "bits/dim");
                lossSum = 0;
                lossCount = 0;
            }
            if (checkpoints.due(progress.elapsedMillis())) {
                GlowCheckpoints.save(o.checkpointDir(), trainer, data.dataset(),
                        trainedBefore + progress.elapsedMillis());
                RunSteps.checkpointed(out, trainer.step(), o.checkpointDir());
            }
        }
        long trainedMillis = trainedBefore + progress.elapsedMillis();
        GlowCheckpoints.save(o.checkpointDir(), trainer, data.dataset(), trainedMillis);
        RunSteps.checkpointed(out, trainer.step(), o.checkpointDir());

        ImageDataset test = o.evalImages() > 0 && o.evalImages() < data.test().size()
                ? data.test().range(0, o.evalImages()) : data.test();
        double testBits = trainer.evaluate(test, 100);
        out.println(String.format(Locale.ROOT, "test bits/dim %.4f on %d images", testBits, test.size()));

        GlowTrainer.Settings s = trainer.settings();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("method", "maximum likelihood (Glow, Kingma & Dhariwal 2018), dequantised");
        training.put("framework", "Deeplearning4j SameDiff 1.0.0-M2.1 (oneDNN CPU)");
        training.put("trainImages", data.train().size());
        training.put("steps", trainer.step());
        training.put("batchSize", s.batchSize());
        training.put("nBits", s.nBits());
        training.put("seed", s.seed());
        training.put("optimizer", "adam");
        training.put("learningRate", s.adam().learningRate());
        training.put("warmupSteps", s.adam().warmupSteps());
        training.put("maxGradNorm", s.adam().maxGradNorm());
        if (Double.isFinite(lastLoss)) { // NaN when this invocation only resumed and exported
            training.put("lastTrainBitsPerDim", lastLoss);
        }
        training.put("testImages", test.size());
        training.put("trainedMillis", trainedMillis);
        training.put("imagesSeen", trainer.step() * (long) s.batchSize());
        training.put("machine", Machine.describe());
        // The invocation that wrote this bundle; with --resume it continues the checkpointed run exactly.
        training.put("command", o.command());
        String id = o.id() != null ? o.id() : data.dataset() + "-glow";
        var weights = trainer.model().weights();
        var bundle = PriorBundles.writeGlow(o.bundleDir(), weights,
                new PriorCardInfo(id, data.dataset(), "train", training, testBits, Instant.now()));
        // the trained weights too, so that 'verify' can rebuild the Deeplearning4j model (its parity test)
        bundle = BundleWeights.attach(bundle, BundleWeights.ofGlow(weights));
        out.println("bundle " + bundle.card().id() + " -> " + bundle.dir());
        return 0;
    }
}
