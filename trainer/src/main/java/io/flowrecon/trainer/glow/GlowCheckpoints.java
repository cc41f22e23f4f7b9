package io.flowrecon.trainer.glow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flowrecon.shared.prior.GlowArchitecture;
import io.flowrecon.trainer.checkpoint.TensorArchive;
import io.flowrecon.trainer.data.ImageDataset;
import io.flowrecon.trainer.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saves and restores a Glow training run: {@code checkpoint.bin} (a {@link TensorArchive} of the parameters,
 * Adam's moments, the fixed parts of the 1x1 convs and the step) and {@code checkpoint.json} (architecture,
 * settings, step, dataset). Each file is written beside its final name and moved into place, the JSON last,
 * so that a run killed mid-save leaves the previous checkpoint readable.
 */
public final class GlowCheckpoints {
    public static final String ARRAYS = "checkpoint.bin";
    public static final String INFO = "checkpoint.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What checkpoint.json holds; flat so that a person can read and a script can parse it. */
    public record Info(int format, int channels, int size, int levels, int stepsPerLevel, int hidden,
                       int batchSize, int nBits, long seed, double learningRate, double beta1, double beta2,
                       double epsilon, int warmupSteps, double maxGradNorm, long step, String dataset,
                       long trainedMillis) {

        public GlowArchitecture architecture() {
            return new GlowArchitecture(channels, size, levels, stepsPerLevel, hidden);
        }

        public GlowTrainer.Settings settings() {
            return new GlowTrainer.Settings(batchSize, nBits, seed,
                    new Adam.Settings(learningRate, beta1, beta2, epsilon, warmupSteps, maxGradNorm));
        }
    }

    private GlowCheckpoints() {
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(INFO)) && Files.isRegularFile(dir.resolve(ARRAYS));
    }

    /** Writes the trainer's state; {@code trainedMillis} is the training wall time so far (for the card). */
    public static void save(Path dir, GlowTrainer trainer, String dataset, long trainedMillis) throws IOException {
        Files.createDirectories(dir);
        GlowArchitecture a = trainer.model().architecture();
        GlowTrainer.Settings s = trainer.settings();
        Adam.Settings o = s.adam();
        Info info = new Info(FORMAT, a.channels(), a.size(), a.levels(), a.stepsPerLevel(), a.hidden(),
                s.batchSize(), s.nBits(), s.seed(), o.learningRate(), o.beta1(), o.beta2(), o.epsilon(),
                o.warmupSteps(), o.maxGradNorm(), trainer.step(), dataset, trainedMillis);
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        trainer.model().parameters().forEach((k, v) -> arrays.put("param/" + k, v));
        Adam.State adam = trainer.optimiserState();
        adam.firstMoments().forEach((k, v) -> arrays.put("adam.m/" + k, v));
        adam.secondMoments().forEach((k, v) -> arrays.put("adam.v/" + k, v));
        trainer.model().fixedParts().forEach((k, v) -> arrays.put("fixed/" + k, Nd4j.create(v)));
        arrays.put("meta/step", Nd4j.scalar((float) trainer.step()));
        Path tmpArrays = dir.resolve(ARRAYS + ".tmp");
        TensorArchive.write(tmpArrays, arrays);
        Files.move(tmpArrays, dir.resolve(ARRAYS), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Path tmpInfo = dir.resolve(INFO + ".tmp");
        JSON.writeValue(tmpInfo.toFile(), info);
        Files.move(tmpInfo, dir.resolve(INFO), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Info readInfo(Path dir) throws IOException {
        Info info = JSON.readValue(dir.resolve(INFO).toFile(), Info.class);
        if (info.format() != FORMAT) {
            throw new IOException(dir.resolve(INFO) + ": checkpoint format " + info.format() + ", this build reads "
                    + FORMAT);
        }
        return info;
    }

    /** A trainer that continues the saved run on {@code data} (the same data it was trained on). */
    public static GlowTrainer resume(Path dir, ImageDataset data) throws IOException {
        Info info = readInfo(dir);
        Map<String, INDArray> arrays = TensorArchive.read(dir.resolve(ARRAYS));
        long savedStep = (long) arrays.get("meta/step").getFloat(0);
        if (savedStep != info.step()) {
            throw new IOException(dir + ": " + ARRAYS + " is at step " + savedStep + " but " + INFO + " says "
                    + info.step() + " (a save was interrupted; restore both files from the same save)");
        }
        Map<String, INDArray> params = withPrefix(arrays, "param/");
        Adam.State adam = new Adam.State(info.step(), withPrefix(arrays, "adam.m/"), withPrefix(arrays, "adam.v/"));
        GlowTrainer trainer = GlowTrainer.resume(info.architecture(), info.settings(), params, adam, data);
        Map<String, INDArray> fixed = withPrefix(arrays, "fixed/");
        for (Map.Entry<String, float[]> e : trainer.model().fixedParts().entrySet()) {
            INDArray saved = fixed.get(e.getKey());
            if (saved == null || !Arrays.equals(saved.dup('c').data().asFloat(), e.getValue())) {
                throw new IOException(dir + ": the checkpoint's " + e.getKey() + " differs from the one rebuilt "
                        + "from seed " + info.seed() + " (made by another version of the initialisation)");
            }
        }
        return trainer;
    }

    private static Map<String, INDArray> withPrefix(Map<String, INDArray> arrays, String prefix) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
