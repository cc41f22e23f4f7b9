package io.flowrecon.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.devstack.stack.ApiClient;
import io.flowrecon.devstack.stack.Demo;
import io.flowrecon.devstack.stack.DemoSet;
import io.flowrecon.devstack.stack.FashionMnist;
import io.flowrecon.shared.image.CelebaFaces;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The priors flowrecon ships (models/), registered at start-up and solving through the whole service, hold the
 * paper's two claims on held-out data: an invertible prior recovers faces it was not trained on better than the
 * sparsity baseline, and it keeps working on a class its training set never had, where a GAN prior does not.
 * The comparisons use the same measurements (operator and noise seeds) for every model, so the difference is
 * the prior's alone.
 */
@ExtendWith(InfrastructureExtension.class)
class ShippedPriorsSystemTest {

    private static final Duration JOB_DEADLINE = Duration.ofMinutes(6);
    private static final Path MODELS = Path.of("..", "models");
    private static RunningSystem system;

    @BeforeAll
    static void startSystem(Infrastructure infra) throws InterruptedException {
        system = RunningSystem.start(infra, "shipped_priors", Path.of("target", "system-tests"), MODELS);
        system.startWorker("prior-worker-1");
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    /**
     * The paper's in-distribution claim at small scale: compressive sensing at m/n = 0.1 (m = 307 of n = 3072) on the first held-out CelebA test
     * faces. The shipped prior (6,898 steps) gave 24.4 dB against lasso-dct's 12.9 dB on these two faces; even its
     * first checkpoint (325 steps) gave 20.7 against 14.1 on three faces (worst face +2.9 dB). The assertion asks
     * for a mean margin of 2 dB, below what any trained prior here gave, so a failure means the prior or the
     * solver broke, not noise.
     */
    @Test
    void celeba32GlowBeatsLassoDctOnHeldOutFacesAtATenthOfN() throws Exception {
        Path celeba = dataRoot().resolve("celeba");
        assumeTrue(Files.isDirectory(celeba), "CelebA not at " + celeba + " (set FLOWRECON_DATA)");
        List<Image> faces = CelebaFaces.testFaces(celeba, 2);
        int m = (int) Math.round(0.1 * faces.get(0).values().length);
        double glow = meanPsnr("celeba32-glow", faces, m);
        double lasso = meanPsnr("lasso-dct", faces, m);
        System.out.printf(Locale.ROOT, "CelebA test faces, m = %d: celeba32-glow %.2f dB, lasso-dct %.2f dB%n", m,
                glow, lasso);
        assertTrue(glow > lasso + 2.0, "celeba32-glow " + glow + " dB should beat lasso-dct " + lasso + " dB by 2 dB");
    }

    /**
     * The dataset-bias experiment (paper, Section 5): on bags, the class both biased priors never saw, at m = 400
     * of 784, the Glow prior still fits the image while the DCGAN can only draw what it learnt (it saturates).
     * Measured by the CLI on the shipped priors, these eight bags and seeds (2026-12-07, Glow's default strong-Wolfe
     * L-BFGS): Glow 30.1 / 15.3 / 29.1 / 29.2 / 33.9 / 31.6 / 39.9 / 36.5 dB (mean 30.7), DCGAN 21.9 / 15.3 / 15.6 /
     * 19.1 / 18.5 / 17.8 / 18.6 / 17.6 (mean 18.0). Eight bags, not two: one bag (the second) defeats both priors,
     * and with the paper's fixed step a single bag's PSNR moved by 9 dB with the last bits of the gradient
     * (the first two bags gave 31.5 / 24.6 dB in the shared operator form, 25.8 / 15.2 in the per-image one).
     * At m = 200 the two are close (18.7 against 17.8 on two bags), which is why m = 400. The margin asked is 5 dB.
     */
    @Test
    void biasedGlowRecoversTheHeldOutClassBetterThanTheBiasedDcgan() throws Exception {
        assumeTrue(Files.isReadable(FashionMnist.DEBIAN_TEST_LABELS), "Debian's dataset-fashion-mnist is needed");
        List<Image> bags = FashionMnist.readClass(FashionMnist.DEBIAN_TEST_IMAGES, FashionMnist.DEBIAN_TEST_LABELS,
                DemoSet.HELD_OUT_CLASS, 8);
        double glow = meanPsnr("fmnist-biased-glow", bags, 400);
        double dcgan = meanPsnr("fmnist-biased-dcgan", bags, 400);
        System.out.printf(Locale.ROOT, "held-out class %d, m = 400: fmnist-biased-glow %.2f dB, "
                + "fmnist-biased-dcgan %.2f dB%n", DemoSet.HELD_OUT_CLASS, glow, dcgan);
        assertTrue(glow > dcgan + 5.0, "fmnist-biased-glow " + glow + " dB should beat fmnist-biased-dcgan " + dcgan
                + " dB by 5 dB on the class neither saw");
    }

    @Test
    void everyShippedBundleIsRegisteredWithItsCard() throws Exception {
        ApiClient api = system.api();
        List<String> shipped = new ArrayList<>();
        try (var dirs = Files.list(MODELS)) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("model.json")))
                    .forEach(d -> shipped.add(d.getFileName().toString()));
        }
        assertTrue(shipped.containsAll(List.of("fmnist-glow", "fmnist-dcgan", "fmnist-biased-glow",
                "fmnist-biased-dcgan", "celeba32-glow", "celeba32-dcgan")), "models/ holds " + shipped);
        for (String id : shipped) {
            var response = api.get("/api/v1/models/" + id);
            assertEquals(200, response.status(), id + " is not registered");
        }
    }

    /** Mean PSNR of one model over the images, every image solved from the same measurements for every model. */
    private static double meanPsnr(String model, List<Image> images, int m) throws Exception {
        ApiClient api = system.api();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ids.add(api.submit(Demo.compressiveSensingJob(model, m, 7 + i, Png.encode(images.get(i)))).path("id").asText());
        }
        double sum = 0;
        for (String id : ids) {
            JsonNode job = system.awaitFinal(id, JOB_DEADLINE);
            assertEquals("SUCCEEDED", job.path("status").asText(), model + " job " + id + ": " + job);
            sum += job.path("result").path("psnr").asDouble();
        }
        return sum / ids.size();
    }


    /** The team's data folder: FLOWRECON_DATA, else ../shared/data beside the repository. */
    private static Path dataRoot() {
        String configured = System.getenv("FLOWRECON_DATA");
        if (configured != null) {
            return Path.of(configured);
        }
        Path beside = Path.of("..", "..", "shared", "data");
        return Files.isDirectory(beside) ? beside : Path.of("/work/shared/data");
    }
}
