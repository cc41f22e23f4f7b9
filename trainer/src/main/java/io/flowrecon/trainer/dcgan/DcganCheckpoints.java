package io.flowrecon.trainer.dcgan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flowrecon.shared.prior.DcganArchitecture;
import io.flowrecon.trainer.checkpoint.TensorArchive;
import io.flowrecon.trainer.data.ImageDataset;
import io.flowrecon.trainer.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saves and restores a DCGAN training run in the layout of the Glow checkpoints: {@code checkpoint.bin}
 * (generator, running statistics, discriminator, both Adam states) and {@code checkpoint.json}, each moved into
 * place after it is complete, the JSON last.
 */
public final class DcganCheckpoints {
    public static final String ARRAYS = "checkpoint.bin";
    public static final String INFO = "checkpoint.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What checkpoint.json holds. */
    public record Info(int format, String family, int channels, int size, int latent, int features, int batchSize,
                       long seed, double learningRate, double beta1, double beta2, double epsilon, long step,
                       String dataset, long trainedMillis) {

        public DcganArchitecture architecture() {
            return new DcganArchitecture(channels, size, latent, features);
        }

        public DcganTrainer.Settings settings() {
            return new DcganTrainer.Settings(batchSize, seed,
                    new Adam.Settings(learningRate, beta1, beta2, epsilon, 0, 0));
        }
    }

    private DcganCheckpoints() {
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(INFO)) && Files.isRegularFile(dir.resolve(ARRAYS));
    }

    public static void save(Path dir, DcganTrainer trainer, String dataset, long trainedMillis) throws IOException {
        Files.createDirectories(dir);
        DcganArchitecture a = trainer.model().architecture();
        DcganTrainer.Settings s = trainer.settings();
        Info info = new Info(FORMAT, "dcgan", a.channels(), a.size(), a.latent(), a.features(), s.batchSize(),
                s.seed(), s.adam().learningRate(), s.adam().beta1(), s.adam().beta2(), s.adam().epsilon(),
                trainer.step(), dataset, trainedMillis);
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        trainer.state().forEach((k, v) -> arrays.put("state/" + k, v));
        put(arrays, "adam.g", trainer.generatorOptimiser());
        put(arrays, "adam.d", trainer.discriminatorOptimiser());
        arrays.put("meta/step", Nd4j.scalar((float) trainer.step()));
        Path tmp = dir.resolve(ARRAYS + ".tmp");
        TensorArchive.write(tmp, arrays);
        Files.move(tmp, dir.resolve(ARRAYS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path tmpInfo = dir.resolve(INFO + ".tmp");
        JSON.writeValue(tmpInfo.toFile(), info);
        Files.move(tmpInfo, dir.resolve(INFO), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Info readInfo(Path dir) throws IOException {
        Info info = JSON.readValue(dir.resolve(INFO).toFile(), Info.class);
        if (info.format() != FORMAT || !"dcgan".equals(info.family())) {
            throw new IOException(dir.resolve(INFO) + ": not a format " + FORMAT + " dcgan checkpoint");
        }
        return info;
    }

    public static DcganTrainer resume(Path dir, ImageDataset data) throws IOException {
        Info info = readInfo(dir);
        Map<String, INDArray> arrays = TensorArchive.read(dir.resolve(ARRAYS));
        if ((long) arrays.get("meta/step").getFloat(0) != info.step()) {
            throw new IOException(dir + ": " + ARRAYS + " and " + INFO + " come from different saves");
        }
        DcganTrainer trainer = new DcganTrainer(info.architecture(), info.settings(), data);
        trainer.restore(withPrefix(arrays, "state/"), state(arrays, "adam.g", info.step()),
                state(arrays, "adam.d", info.step()));
        return trainer;
    }

    private static void put(Map<String, INDArray> arrays, String prefix, Adam.State state) {
        state.firstMoments().forEach((k, v) -> arrays.put(prefix + ".m/" + k, v));
        state.secondMoments().forEach((k, v) -> arrays.put(prefix + ".v/" + k, v));
    }

    private static Adam.State state(Map<String, INDArray> arrays, String prefix, long step) {
        return new Adam.State(step, withPrefix(arrays, prefix + ".m/"), withPrefix(arrays, prefix + ".v/"));
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
