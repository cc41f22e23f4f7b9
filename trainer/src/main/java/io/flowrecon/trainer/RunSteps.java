package io.flowrecon.trainer;

import io.flowrecon.trainer.data.DataSources;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** The parts of a {@code train} invocation that do not depend on the model family (Glow and DCGAN runs share them). */
final class RunSteps {

    private RunSteps() {
    }

    /** A checkpoint's dataset name, read lazily (only when --resume finds one). */
    @FunctionalInterface
    interface DatasetOf {
        String read(Path checkpointDir) throws IOException;
    }

    static DataSources.Split openData(TrainOptions o, PrintStream out) throws IOException {
        DataSources.Split data = DataSources.open(o.data(), o.excludedClass(), o.limit());
        out.println("data: " + data.train().name() + " (" + data.train().size() + " images " + data.train().shape()
                + "), test " + data.test().name() + " (" + data.test().size() + ")");
        return data;
    }

    /**
     * Whether this run continues a checkpoint: --resume and one exists. A checkpoint of other data is an error
     * (resuming it would silently mix datasets); --resume without a checkpoint starts afresh, and says so.
     */
    static boolean resumes(TrainOptions o, PrintStream out, boolean checkpointExists, DatasetOf checkpointDataset,
                           String dataset) throws IOException {
        if (o.resume() && checkpointExists) {
            String trainedOn = checkpointDataset.read(o.checkpointDir());
            if (!trainedOn.equals(dataset)) {
                throw new IllegalArgumentException("--resume: the checkpoint was trained on " + trainedOn
                        + " but --data/--exclude-class give " + dataset);
            }
            return true;
        }
        if (o.resume()) {
            out.println("--resume: no checkpoint in " + o.checkpointDir() + ", starting a new run");
        }
        return false;
    }

    static void resumed(PrintStream out, long step, Path checkpointDir) {
        out.println("resumed at step " + step + " from " + checkpointDir + " (architecture and settings from the checkpoint)");
    }

    static void checkpointed(PrintStream out, long step, Path checkpointDir) {
        out.println("checkpoint at step " + step + " -> " + checkpointDir);
    }

    /** Says when the checkpoint interval has passed since the last checkpoint. */
    static final class CheckpointClock {
        private final long intervalMillis;
        private long lastMillis;

        CheckpointClock(double intervalMinutes) {
            this.intervalMillis = (long) (intervalMinutes * 60_000);
        }

        boolean due(long elapsedMillis) {
            if (elapsedMillis - lastMillis < intervalMillis) {
                return false;
            }
            lastMillis = elapsedMillis;
            return true;
        }
    }
}
