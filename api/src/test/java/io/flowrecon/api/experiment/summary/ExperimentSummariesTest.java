package io.flowrecon.api.experiment.summary;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ExperimentSummariesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode axes(String model, double ratio, int image, long seed) {
        return JSON.createObjectNode().put("model", model).put("problem", "compressive-sensing").put("ratio", ratio)
                .put("operatorSeed", seed).put("image", image);
    }

    static JobRow row(ObjectNode axes, String status, Double psnr, Double ssim, Long wall, String error) {
        return new JobRow(UUID.randomUUID(), status, error, axes, axes.path("image").asInt(), psnr, ssim, wall, 30,
                0.1, "sha", "w1", "cpu", "done", "{\"seed\": 1}");
    }

    /** Four replicates of one cell, two of another, a failure and a queued job. */
    static List<JobRow> rows() {
        List<JobRow> rows = new ArrayList<>();
        rows.add(row(axes("glow", 0.1, 0, 7), "SUCCEEDED", 20.0, 0.50, 1000L, null));
        rows.add(row(axes("glow", 0.1, 0, 8), "SUCCEEDED", 22.0, 0.60, 3000L, null));
        rows.add(row(axes("glow", 0.1, 1, 7), "SUCCEEDED", 24.0, 0.70, 2000L, null));
        rows.add(row(axes("glow", 0.1, 1, 8), "SUCCEEDED", 26.0, 0.80, 4000L, null));
        rows.add(row(axes("lasso", 0.1, 0, 7), "SUCCEEDED", 15.0, 0.40, 500L, null));
        rows.add(row(axes("lasso", 0.1, 1, 7), "FAILED", null, null, null, "solver diverged"));
        rows.add(row(axes("glow", 0.5, 0, 7), "QUEUED", null, null, null, null));
        return rows;
    }

    @Test
    void cellsGroupEveryAxisButImagesAndSeedsWithStatisticsComputedByHand() {
        List<CellSummary> cells = ExperimentSummaries.cells(rows());
        assertEquals(3, cells.size());
        CellSummary glow = cells.get(0);
        assertEquals("glow", glow.axes().get("model").asText());
        assertNull(glow.axes().get("image"));
        assertNull(glow.axes().get("operatorSeed"));
        assertEquals(4, glow.jobs());
        // PSNR 20, 22, 24, 26: mean 23, sample variance (9 + 1 + 1 + 9) / 3 = 20/3, std 2.5820, t(0.975, 3) = 3.182,
        // half width 3.182 * 2.5820 / 2 = 4.1080. Tolerance 1e-9: a few float operations on exact inputs.
        assertEquals(23.0, glow.psnr().mean(), 1e-12);
        assertEquals(Math.sqrt(20.0 / 3.0), glow.psnr().std(), 1e-12);
        double half = 3.182 * Math.sqrt(20.0 / 3.0) / 2.0;
        assertEquals(23.0 - half, glow.psnr().ciLow(), 1e-9);
        assertEquals(23.0 + half, glow.psnr().ciHigh(), 1e-9);
        assertEquals(0.65, glow.ssim().mean(), 1e-12);
        assertEquals(2500.0, glow.medianWallMillis(), "median of 1000, 2000, 3000, 4000");

        CellSummary lasso = cells.get(1);
        assertEquals(2, lasso.jobs());
        assertEquals(1, lasso.succeeded());
        assertEquals(1, lasso.failed());
        assertEquals(1, lasso.psnr().n());
        assertNull(lasso.psnr().std(), "one value has no spread");
        assertEquals("solver diverged", lasso.failures().get(0).reason());

        CellSummary queued = cells.get(2);
        assertEquals(0, queued.psnr().n());
        assertNull(queued.psnr().mean());
        assertNull(queued.medianWallMillis());
    }

    @Test
    void progressCountsStatusesAndTheEtaUsesTheExperimentsOwnMedianJobTime() {
        Progress progress = ExperimentSummaries.progress(rows(), 99.0, 2);
        assertEquals(7, progress.total());
        assertEquals(1, progress.queued());
        assertEquals(5, progress.succeeded());
        assertEquals(1, progress.failed());
        assertEquals(6, progress.done());
        // one job left x median of 500, 1000, 2000, 3000, 4000 ms (2 s) / 2 workers
        assertEquals(1.0, progress.etaSeconds(), 1e-12);
    }

    @Test
    void tQuantilesFollowTheTableAndItsLargeSampleExpansion() {
        assertEquals(12.706, Stat.tQuantile975(1));
        assertEquals(2.042, Stat.tQuantile975(30));
        // t(0.975, 60) = 2.0003 and t(0.975, 120) = 1.9799 (tables); the expansion is good to 1e-3 there.
        assertEquals(2.0003, Stat.tQuantile975(60), 1e-3);
        assertEquals(1.9799, Stat.tQuantile975(120), 1e-3);
    }
}
