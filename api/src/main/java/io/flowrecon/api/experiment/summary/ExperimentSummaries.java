package io.flowrecon.api.experiment.summary;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.api.experiment.grid.ExperimentGrid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Groups an experiment's jobs into cells and summarises each: a pure function of the rows, tested by hand. */
public final class ExperimentSummaries {

    public static final int FAILURES_PER_CELL = 5;

    private ExperimentSummaries() {
    }

    /** The cell of a job: its axes without the replicate axes (image, seeds). */
    public static ObjectNode cellOf(ObjectNode axes) {
        ObjectNode cell = axes.deepCopy();
        ExperimentGrid.REPLICATE_AXES.forEach(cell::remove);
        return cell;
    }

    /** One summary per cell, in the order the cells first appear among the rows. */
    public static List<CellSummary> cells(List<JobRow> rows) {
        Map<ObjectNode, List<JobRow>> byCell = new LinkedHashMap<>();
        for (JobRow row : rows) {
            byCell.computeIfAbsent(cellOf(row.axes()), cell -> new ArrayList<>()).add(row);
        }
        List<CellSummary> cells = new ArrayList<>(byCell.size());
        for (Map.Entry<ObjectNode, List<JobRow>> cell : byCell.entrySet()) {
            cells.add(summarise(cell.getKey(), cell.getValue()));
        }
        return cells;
    }

    private static CellSummary summarise(ObjectNode axes, List<JobRow> jobs) {
        List<Double> psnr = new ArrayList<>();
        List<Double> ssim = new ArrayList<>();
        List<Long> wall = new ArrayList<>();
        List<CellSummary.Failure> failures = new ArrayList<>();
        int succeeded = 0;
        int failed = 0;
        for (JobRow job : jobs) {
            if (job.succeeded()) {
                succeeded++;
                if (job.psnr() != null && Double.isFinite(job.psnr())) {
                    psnr.add(job.psnr());
                }
                if (job.ssim() != null && Double.isFinite(job.ssim())) {
                    ssim.add(job.ssim());
                }
                if (job.wallMillis() != null) {
                    wall.add(job.wallMillis());
                }
            } else if ("FAILED".equals(job.status())) {
                failed++;
                if (failures.size() < FAILURES_PER_CELL) {
                    failures.add(new CellSummary.Failure(job.id(), job.error()));
                }
            }
        }
        wall.sort(null);
        Double medianWall = wall.isEmpty() ? null : median(wall);
        return new CellSummary(axes, jobs.size(), succeeded, failed, Stat.of(psnr), Stat.of(ssim), medianWall, failures);
    }

    /** Counts per status and the time left (see {@link Progress#etaSeconds}). */
    public static Progress progress(List<JobRow> rows, double fallbackJobSeconds, int liveWorkers) {
        int queued = 0;
        int running = 0;
        int succeeded = 0;
        int failed = 0;
        int cancelled = 0;
        List<Long> wall = new ArrayList<>();
        for (JobRow row : rows) {
            switch (row.status()) {
                case "QUEUED" -> queued++;
                case "RUNNING" -> running++;
                case "SUCCEEDED" -> {
                    succeeded++;
                    if (row.wallMillis() != null) {
                        wall.add(row.wallMillis());
                    }
                }
                case "FAILED" -> failed++;
                case "CANCELLED" -> cancelled++;
                default -> throw new IllegalStateException("unknown job status " + row.status());
            }
        }
        wall.sort(null);
        double jobSeconds = wall.isEmpty() ? fallbackJobSeconds : median(wall) / 1000.0;
        int workers = Math.max(1, liveWorkers);
        double eta = (queued + running) * jobSeconds / workers;
        return new Progress(rows.size(), queued, running, succeeded, failed, cancelled, succeeded + failed + cancelled,
                eta, workers);
    }

    static double median(List<Long> sorted) {
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2.0;
    }
}
