package io.flowrecon.api.experiment.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The experiment as CSV (RFC 4180: comma separated, quoted where needed, CRLF line ends): one row per cell,
 * or one row per job with every axis value, the recomputable metrics and the result's provenance. Axis columns
 * are the union of the rows' axes, in first-seen order.
 */
public final class ExperimentCsv {

    private ExperimentCsv() {
    }

    public static String cells(List<CellSummary> cells) {
        List<String> axes = axisColumns(cells, CellSummary::axes);
        List<String> header = new ArrayList<>(axes);
        header.addAll(List.of("jobs", "succeeded", "failed", "psnr_n", "psnr_mean", "psnr_std", "psnr_ci95_low",
                "psnr_ci95_high", "ssim_n", "ssim_mean", "ssim_std", "ssim_ci95_low", "ssim_ci95_high",
                "median_wall_millis", "failure_reasons"));
        StringBuilder out = new StringBuilder();
        line(out, header);
        for (CellSummary cell : cells) {
            List<String> values = axisValues(cell.axes(), axes);
            values.add(Integer.toString(cell.jobs()));
            values.add(Integer.toString(cell.succeeded()));
            values.add(Integer.toString(cell.failed()));
            addStat(values, cell.psnr());
            addStat(values, cell.ssim());
            values.add(number(cell.medianWallMillis()));
            values.add(String.join("; ", new LinkedHashSet<>(cell.failures().stream()
                    .map(f -> f.reason() == null ? "" : f.reason()).toList())));
            line(out, values);
        }
        return out.toString();
    }

    public static String jobs(List<JobRow> rows) {
        List<String> axes = axisColumns(rows, JobRow::axes);
        List<String> header = new ArrayList<>(List.of("job"));
        header.addAll(axes);
        header.addAll(List.of("status", "psnr", "ssim", "residual_norm", "iterations", "wall_millis", "model_sha256",
                "worker", "execution_provider", "stop_reason", "error", "provenance"));
        StringBuilder out = new StringBuilder();
        line(out, header);
        for (JobRow row : rows) {
            List<String> values = new ArrayList<>();
            values.add(row.id().toString());
            values.addAll(axisValues(row.axes(), axes));
            values.add(row.status());
            values.add(number(row.psnr()));
            values.add(number(row.ssim()));
            values.add(number(row.residualNorm()));
            values.add(row.iterations() == null ? "" : row.iterations().toString());
            values.add(row.wallMillis() == null ? "" : row.wallMillis().toString());
            values.add(nullToEmpty(row.modelSha256()));
            values.add(nullToEmpty(row.workerId()));
            values.add(nullToEmpty(row.executionProvider()));
            values.add(nullToEmpty(row.stopReason()));
            values.add(nullToEmpty(row.error()));
            values.add(nullToEmpty(row.provenance()));
            line(out, values);
        }
        return out.toString();
    }

    private static <T> List<String> axisColumns(List<T> items, Function<T, ObjectNode> axes) {
        Set<String> columns = new LinkedHashSet<>();
        for (T item : items) {
            axes.apply(item).fieldNames().forEachRemaining(columns::add);
        }
        return new ArrayList<>(columns);
    }

    private static List<String> axisValues(ObjectNode axes, List<String> columns) {
        List<String> values = new ArrayList<>();
        for (String column : columns) {
            JsonNode value = axes.get(column);
            values.add(value == null || value.isNull() ? "" : value.isTextual() ? value.asText() : value.toString());
        }
        return values;
    }

    private static void addStat(List<String> values, Stat stat) {
        values.add(Integer.toString(stat.n()));
        values.add(number(stat.mean()));
        values.add(number(stat.std()));
        values.add(number(stat.ciLow()));
        values.add(number(stat.ciHigh()));
    }

    /** Full precision (shortest round-trip form), so that a parsed CSV reproduces the JSON's numbers. */
    private static String number(Double value) {
        return value == null ? "" : Double.toString(value).toLowerCase(Locale.ROOT);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static void line(StringBuilder out, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(values.get(i)));
        }
        out.append("\r\n");
    }

    static String quote(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
