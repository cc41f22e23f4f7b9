package io.flowrecon.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.devstack.stack.ApiClient;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A small experiment through the API, as a researcher's overnight sweep is, but cheap: {@code lasso-dct}
 * compressive sensing of small grey images over a few ratios and operator seeds. Then the check that matters
 * after a failure: every job of it ended exactly once.
 */
final class Sweep {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String id;
    private final int jobs;

    private Sweep(String id, int jobs) {
        this.id = id;
        this.jobs = jobs;
    }

    /**
     * Uploads {@code images} images of {@code size} x {@code size} as a new image set and starts an experiment over
     * them, {@code ratios} and {@code operatorSeeds}: images x ratios x seeds jobs.
     */
    static Sweep start(ApiClient api, int images, int size, double[] ratios, int[] operatorSeeds) {
        String name = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode set = JSON.createObjectNode().put("name", name);
        ArrayNode pngs = set.putArray("images");
        for (int i = 0; i < images; i++) {
            pngs.add(Base64.getEncoder().encodeToString(Png.encode(grey(size, i))));
        }
        String setId = api.postJson("/api/v1/image-sets", set.toString(), 201).path("id").asText();

        ObjectNode grid = JSON.createObjectNode().put("name", name);
        grid.putObject("images").put("imageSet", setId);
        grid.putArray("models").add("lasso-dct");
        ArrayNode ratio = grid.putArray("problems").addObject().put("kind", "compressive-sensing").putArray("ratio");
        for (double r : ratios) {
            ratio.add(r);
        }
        ArrayNode seeds = grid.putObject("seeds").putArray("operator");
        for (int s : operatorSeeds) {
            seeds.add(s);
        }
        JsonNode created = api.postJson("/api/v1/experiments", grid.toString(), 202);
        int expected = images * ratios.length * operatorSeeds.length;
        assertEquals(expected, created.path("count").asInt(), "the grid's size: " + created);
        return new Sweep(created.path("id").asText(), expected);
    }

    String id() {
        return id;
    }

    int jobs() {
        return jobs;
    }

    /** The experiment's progress object (total, queued, running, succeeded, failed, done, ...). */
    JsonNode progress(ApiClient api) {
        return api.getJson("/api/v1/experiments/" + id).path("progress");
    }

    /** Polls until every job is done (or fails with the last progress and the logs after {@code timeout}). */
    JsonNode awaitDone(RunningSystem system, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode progress = progress(system.api());
        while (progress.path("done").asInt() < jobs && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            progress = progress(system.api());
        }
        if (progress.path("done").asInt() < jobs) {
            throw new AssertionError("experiment " + id + " not done after " + timeout + ": " + progress
                    + "\nAPI log:\n" + system.apiLogTail(20) + "\nworker logs:\n" + system.workerLogTails());
        }
        return progress;
    }

    /** Waits until at least {@code count} jobs are done, to strike in the middle of the sweep. */
    void awaitAtLeastDone(ApiClient api, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (progress(api).path("done").asInt() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " jobs of " + id + " done after " + timeout);
            }
            Thread.sleep(500);
        }
    }

    /**
     * Every job of the experiment SUCCEEDED with exactly one result row, written by its last attempt (a result of a
     * superseded attempt would carry a lower attempt number in its provenance), and the summary says all done.
     *
     * @return how many jobs needed more than one attempt
     */
    int assertEveryJobEndedOnce(RunningSystem system) throws SQLException {
        JsonNode progress = progress(system.api());
        assertEquals(jobs, progress.path("total").asInt(), "progress " + progress);
        assertEquals(jobs, progress.path("succeeded").asInt(), "progress " + progress);
        assertEquals(jobs, progress.path("done").asInt(), "progress " + progress);
        try (Connection c = system.database();
             PreparedStatement s = c.prepareStatement("""
                     select count(*),
                            count(*) filter (where j.status = 'SUCCEEDED'),
                            count(r.job_id),
                            count(*) filter (where (r.provenance ->> 'attempt')::int = j.attempts),
                            count(*) filter (where j.attempts > 1)
                       from jobs j left join results r on r.job_id = j.id
                      where j.experiment_id = ?""")) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertEquals(jobs, r.getInt(1), "jobs of the experiment");
                assertEquals(jobs, r.getInt(2), "SUCCEEDED jobs");
                assertEquals(jobs, r.getInt(3), "result rows (one per job; the table's key allows no more)");
                assertEquals(jobs, r.getInt(4), "results written by the job's last attempt");
                return r.getInt(5);
            }
        }
    }

    /** A smooth grey image with a seeded texture, different per index: DCT-compressible, not trivially sparse. */
    static Image grey(int size, int index) {
        java.util.Random texture = new java.util.Random(1000L + index);
        float[] values = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double v = 0.5 + 0.3 * Math.cos(Math.PI * (index % 3 + 1) * x / size) * Math.cos(Math.PI * y / size)
                        + 0.1 * (texture.nextDouble() - 0.5);
                values[y * size + x] = (float) Math.min(1, Math.max(0, v));
            }
        }
        return new Image(new ImageShape(1, size, size), values);
    }
}
