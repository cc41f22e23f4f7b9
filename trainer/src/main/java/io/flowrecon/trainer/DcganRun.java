package io.flowrecon.trainer;

import io.flowrecon.shared.prior.DcganArchitecture;
import io.flowrecon.shared.prior.PriorBundles;
import io.flowrecon.shared.prior.PriorCardInfo;
import io.flowrecon.trainer.bundle.BundleWeights;
import io.flowrecon.trainer.data.DataSources;
import io.flowrecon.trainer.dcgan.DcganCheckpoints;
import io.flowrecon.trainer.dcgan.DcganTrainer;
import io.flowrecon.trainer.optim.Adam;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One invocation of {@code train dcgan}: start or resume, train within the budget, checkpoint, export. */
final class DcganRun {
    private final TrainOptions o;
    private final PrintStream out;

    DcganRun(TrainOptions options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    int run() throws Exception {
        DataSources.Split data = RunSteps.openData(o, out);
        DcganTrainer trainer;
        long trainedBefore = 0;
        if (RunSteps.resumes(o, out, DcganCheckpoints.exists(o.checkpointDir()),
                dir -> DcganCheckpoints.readInfo(dir).dataset(), data.dataset())) {
            trainer = DcganCheckpoints.resume(o.checkpointDir(), data.train());
            trainedBefore = DcganCheckpoints.readInfo(o.checkpointDir()).trainedMillis();
            RunSteps.resumed(out, trainer.step(), o.checkpointDir());
        } else {
            var shape = data.train().shape();
            DcganArchitecture arch = new DcganArchitecture(shape.channels(), shape.height(), o.latent(), o.features());
            trainer = new DcganTrainer(arch, new DcganTrainer.Settings(o.batchSize(), o.seed(),
                    new Adam.Settings(o.learningRate(), 0.5, 0.999, 1e-8, 0, 0)), data.train());
        }
        out.println("model: " + trainer.model().architecture() + ", " + trainer.settings());
        Progress progress = new Progress(out, (long) (o.minutes() * 60_000));
        RunSteps.CheckpointClock checkpoints = new RunSteps.CheckpointClock(o.checkpointEveryMinutes());
        long startStep = trainer.step();
        DcganTrainer.Losses last = null;
        while (!progress.budgetSpent() && (o.maxSteps() <= 0 || trainer.step() < o.maxSteps())) {
            last = trainer.trainStep();
            if (trainer.step() % o.reportEvery() == 0) {
                progress.report(trainer.step(), (trainer.step() - startStep) * trainer.settings().batchSize(),
                        last.discriminator(), String.format(Locale.ROOT, "gLoss %.4f  dLoss", last.generator()));
            }
            if (checkpoints.due(progress.elapsedMillis())) {
                DcganCheckpoints.save(o.checkpointDir(), trainer, data.dataset(),
                        trainedBefore + progress.elapsedMillis());
                RunSteps.checkpointed(out, trainer.step(), o.checkpointDir());
            }
        }
        long trainedMillis = trainedBefore + progress.elapsedMillis();
        DcganCheckpoints.save(o.checkpointDir(), trainer, data.dataset(), trainedMillis);
        RunSteps.checkpointed(out, trainer.step(), o.checkpointDir());

        DcganTrainer.Settings s = trainer.settings();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("method", "GAN, non-saturating loss (DCGAN, Radford et al. 2016)");
        training.put("framework", "Deeplearning4j SameDiff 1.0.0-M2.1 (oneDNN CPU)");
        training.put("trainImages", data.train().size());
        training.put("steps", trainer.step());
        training.put("batchSize", s.batchSize());
        training.put("seed", s.seed());
        training.put("optimizer", "adam");
        training.put("learningRate", s.adam().learningRate());
        training.put("beta1", s.adam().beta1());
        if (last != null) {
            training.put("lastGeneratorLoss", last.generator());
            training.put("lastDiscriminatorLoss", last.discriminator());
        }
        training.put("trainedMillis", trainedMillis);
        training.put("imagesSeen", trainer.step() * (long) s.batchSize());
        training.put("machine", Machine.describe());
        training.put("command", o.command());
        String id = o.id() != null ? o.id() : data.dataset() + "-dcgan";
        var weights = trainer.model().weights();
        var bundle = PriorBundles.writeDcgan(o.bundleDir(), weights,
                new PriorCardInfo(id, data.dataset(), "train", training, null, Instant.now()));
        // the trained weights too, so that 'verify' can rebuild the Deeplearning4j model (its parity test)
        bundle = BundleWeights.attach(bundle, BundleWeights.ofDcgan(weights));
        out.println("bundle " + bundle.card().id() + " -> " + bundle.dir());
        return 0;
    }
}
