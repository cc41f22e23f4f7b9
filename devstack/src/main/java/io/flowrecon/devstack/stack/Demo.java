package io.flowrecon.devstack.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The local stack's demo: compressive sensing of a few images at several measurement counts m on one model,
 * submitted over the REST API, polled with progress, summarised as a PSNR table (mean and per image).
 */
public final class Demo {

    private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final ApiClient api;
    private final PrintStream out;

    public Demo(ApiClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    /** One submitted job of the sweep. */
    private record Cell(int m, int image, String id) {
    }

    /**
     * Runs the sweep and prints the table.
     *
     * @return PSNR in dB per m (rows, in the order given) and image (columns); NaN where a job did not succeed
     */
    public Map<Integer, double[]> run(String model, List<Image> images, List<Integer> measurementCounts,
                                      Duration timeout) throws InterruptedException {
        List<Cell> cells = new ArrayList<>();
        for (int m : measurementCounts) {
            for (int i = 0; i < images.size(); i++) {
                String id = api.submit(compressiveSensingJob(model, m, 7 + i, Png.encode(images.get(i))))
                        .get("id").asText();
                cells.add(new Cell(m, i, id));
            }
        }
        out.printf(Locale.ROOT, "demo: submitted %d %s jobs (%d images x m in %s, n = %d)%n", cells.size(), model,
                images.size(), measurementCounts, images.get(0).values().length);

        Map<String, JsonNode> finished = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastLine = "";
        while (finished.size() < cells.size() && System.nanoTime() < deadline) {
            int queued = 0;
            int running = 0;
            String runningNote = "";
            for (Cell cell : cells) {
                if (finished.containsKey(cell.id())) {
                    continue;
                }
                JsonNode job = api.job(cell.id());
                String status = job.path("status").asText();
                if (FINAL.contains(status)) {
                    finished.put(cell.id(), job);
                    out.printf(Locale.ROOT, "  m=%-4d image %d  %-9s %s%n", cell.m(), cell.image() + 1, status,
                            describe(job));
                } else if (status.equals("RUNNING")) {
                    running++;
                    runningNote = progressNote(cell);
                } else {
                    queued++;
                }
            }
            String line = String.format(Locale.ROOT, "  ... %d/%d done, %d running%s, %d queued",
                    finished.size(), cells.size(), running, runningNote, queued);
            if (finished.size() < cells.size() && !line.equals(lastLine)) {
                out.println(line);
                lastLine = line;
            }
            if (finished.size() < cells.size()) {
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        }

        Map<Integer, double[]> table = new LinkedHashMap<>();
        for (int m : measurementCounts) {
            double[] row = new double[images.size()];
            java.util.Arrays.fill(row, Double.NaN);
            table.put(m, row);
        }
        for (Cell cell : cells) {
            JsonNode job = finished.get(cell.id());
            if (job != null && job.path("status").asText().equals("SUCCEEDED")
                    && job.path("result").path("psnr").isNumber()) {
                table.get(cell.m())[cell.image()] = job.path("result").path("psnr").asDouble();
            }
        }
        if (finished.size() < cells.size()) {
            out.printf(Locale.ROOT, "demo: %d of %d jobs did not finish within %s%n", cells.size() - finished.size(),
                    cells.size(), timeout);
        }
        printTable(model, images.size(), images.get(0).values().length, table);
        return table;
    }

    /**
     * The JSON of a compressive-sensing job on an uploaded truth: Gaussian operator with {@code seed}, noise of
     * norm 0.1 (the paper's ||eta||) with {@code seed + 1}. Jobs with the same seed share their measurements'
     * randomness across models, so their PSNRs compare priors and nothing else.
     */
    public static String compressiveSensingJob(String model, int m, int seed, byte[] truthPng) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", model);
        ObjectNode problem = body.putObject("problem");
        problem.put("kind", "compressive-sensing");
        problem.put("m", m);
        problem.put("operator", "gaussian");
        problem.put("seed", seed);
        ObjectNode noise = problem.putObject("noise");
        noise.put("kind", "gaussian-norm");
        noise.put("norm", 0.1);
        noise.put("seed", seed + 1);
        body.putObject("truth").put("png", Base64.getEncoder().encodeToString(truthPng));
        return body.toString();
    }

    private String progressNote(Cell cell) {
        try {
            JsonNode items = api.progress(cell.id()).path("items");
            if (items.isArray() && !items.isEmpty()) {
                JsonNode last = items.get(items.size() - 1);
                String psnr = last.path("psnr").isNumber()
                        ? String.format(Locale.ROOT, ", PSNR %.2f dB", last.path("psnr").asDouble()) : "";
                return String.format(Locale.ROOT, " (m=%d image %d: iteration %d%s)", cell.m(), cell.image() + 1,
                        last.path("iteration").asInt(), psnr);
            }
        } catch (RuntimeException e) {
            // progress is a nicety; the status poll carries on
        }
        return "";
    }

    private static String describe(JsonNode job) {
        JsonNode result = job.path("result");
        if (result.path("psnr").isNumber()) {
            return String.format(Locale.ROOT, "PSNR %.2f dB, %d iterations, %d ms on %s", result.path("psnr").asDouble(),
                    result.path("iterations").asInt(), result.path("wallMillis").asLong(),
                    result.path("workerId").asText("?"));
        }
        return job.path("error").asText("");
    }

    private void printTable(String model, int imageCount, int n, Map<Integer, double[]> table) {
        out.println();
        out.printf(Locale.ROOT, "PSNR (dB) of %s, compressive sensing with a Gaussian operator, n = %d, noise norm 0.1%n",
                model, n);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%8s %8s", "m", "mean"));
        for (int i = 0; i < imageCount; i++) {
            header.append(String.format(Locale.ROOT, " %8s", "img " + (i + 1)));
        }
        out.println(header);
        table.forEach((m, row) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%8d %8s", m, format(mean(row))));
            for (double psnr : row) {
                line.append(String.format(Locale.ROOT, " %8s", format(psnr)));
            }
            out.println(line);
        });
        out.println();
    }

    private static double mean(double[] row) {
        double sum = 0;
        for (double v : row) {
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            sum += v;
        }
        return sum / row.length;
    }

    private static String format(double psnr) {
        return Double.isNaN(psnr) ? "-" : String.format(Locale.ROOT, "%.2f", psnr);
    }
}
