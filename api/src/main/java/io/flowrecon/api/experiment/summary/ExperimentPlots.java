package io.flowrecon.api.experiment.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.ByteArrayOutputStream;
import java.text.DecimalFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A metric against a numeric grid axis, one line per model (and per value of any other axis that varies
 * among the plotted cells), each point the mean over the cell's replicates with its 95% confidence interval as
 * an error bar. Rendered by JFreeChart; SVG through JFreeSVG.
 */
public final class ExperimentPlots {

    /** Axes a plot can put on x: the numeric ones. */
    public static final Set<String> NUMERIC_AXES = Set.of("m", "ratio", "noiseStd", "noiseNorm", "gamma", "lr",
            "steps", "restarts", "maskSize", "missingFraction", "lambda");

    public enum Metric {
        PSNR("PSNR (dB)"), SSIM("SSIM");

        final String label;

        Metric(String label) {
            this.label = label;
        }

        Stat of(CellSummary cell) {
            return this == PSNR ? cell.psnr() : cell.ssim();
        }
    }

    /**
     * @param x       the axis on x (one of {@link #NUMERIC_AXES})
     * @param metric  psnr or ssim
     * @param logX    a logarithmic x axis (m/n from 0.02 to 1 reads better so)
     */
    public record Request(String x, Metric metric, boolean logX, int width, int height) {
    }

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    private ExperimentPlots() {
    }

    public static byte[] png(String title, List<CellSummary> cells, Request request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart(title, cells, request), request.width(), request.height());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
        return out.toByteArray();
    }

    public static String svg(String title, List<CellSummary> cells, Request request) {
        SVGGraphics2D g2 = new SVGGraphics2D(request.width(), request.height());
        chart(title, cells, request).draw(g2, new Rectangle(0, 0, request.width(), request.height()));
        return g2.getSVGDocument();
    }

    /** The series: cells with a value of x and of the metric, grouped by every other varying axis. */
    static Map<String, List<CellSummary>> series(List<CellSummary> cells, Request request) {
        List<CellSummary> plotted = new ArrayList<>();
        for (CellSummary cell : cells) {
            if (cell.axes().path(request.x()).isNumber() && request.metric().of(cell).mean() != null) {
                plotted.add(cell);
            }
        }
        Set<String> varying = new LinkedHashSet<>();
        for (CellSummary cell : plotted) {
            cell.axes().fieldNames().forEachRemaining(axis -> {
                if (!axis.equals(request.x()) && !axis.equals("m") && !axis.equals("ratio")
                        && !sameEverywhere(plotted, axis)) {
                    varying.add(axis);
                }
            });
        }
        varying.remove("model");
        Map<String, List<CellSummary>> series = new LinkedHashMap<>();
        for (CellSummary cell : plotted) {
            StringBuilder key = new StringBuilder(cell.axes().path("model").asText("?"));
            for (String axis : varying) {
                JsonNode value = cell.axes().get(axis);
                key.append(", ").append(axis).append('=').append(value == null ? "-" : value.asText());
            }
            series.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(cell);
        }
        return series;
    }

    private static boolean sameEverywhere(List<CellSummary> cells, String axis) {
        JsonNode first = cells.get(0).axes().get(axis);
        for (CellSummary cell : cells) {
            JsonNode value = cell.axes().get(axis);
            if (first == null ? value != null : !first.equals(value)) {
                return false;
            }
        }
        return true;
    }

    static JFreeChart chart(String title, List<CellSummary> cells, Request request) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Map.Entry<String, List<CellSummary>> entry : series(cells, request).entrySet()) {
            YIntervalSeries series = new YIntervalSeries(entry.getKey());
            for (CellSummary cell : entry.getValue()) {
                Stat stat = request.metric().of(cell);
                double x = cell.axes().get(request.x()).asDouble();
                double low = stat.ciLow() == null ? stat.mean() : stat.ciLow();
                double high = stat.ciHigh() == null ? stat.mean() : stat.ciHigh();
                series.add(x, stat.mean(), low, high);
            }
            data.addSeries(series);
        }
        ValueAxis xAxis;
        if (request.logX()) {
            LogAxis log = new LogAxis(request.x() + " (log scale)");
            log.setSmallestValue(1e-6);
            log.setNumberFormatOverride(new DecimalFormat("0.###")); // 0.05, not 10^-1.3
            xAxis = log;
        } else {
            NumberAxis linear = new NumberAxis(request.x());
            linear.setAutoRangeIncludesZero(false);
            xAxis = linear;
        }
        NumberAxis yAxis = new NumberAxis(request.metric().label + ", mean and 95% CI");
        yAxis.setAutoRangeIncludesZero(false);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDrawYError(true);
        renderer.setDefaultLinesVisible(true);
        renderer.setDefaultShapesVisible(true);
        renderer.setErrorStroke(new BasicStroke(1.2f));
        renderer.setCapLength(6);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            renderer.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
            renderer.setSeriesStroke(s, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Cells whose axes match every filter (axis name to its value as text). */
    public static List<CellSummary> filter(List<CellSummary> cells, Map<String, String> filters) {
        List<CellSummary> kept = new ArrayList<>();
        for (CellSummary cell : cells) {
            boolean keep = true;
            for (Map.Entry<String, String> filter : filters.entrySet()) {
                JsonNode value = cell.axes().get(filter.getKey());
                if (value == null || !matches(value, filter.getValue())) {
                    keep = false;
                    break;
                }
            }
            if (keep) {
                kept.add(cell);
            }
        }
        return kept;
    }

    static boolean matches(JsonNode value, String wanted) {
        if (value.isNumber()) {
            try {
                return value.asDouble() == Double.parseDouble(wanted);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return value.asText().equals(wanted);
    }

    /** Axes of the cells (for error messages). */
    public static Set<String> axesOf(List<CellSummary> cells) {
        Set<String> axes = new LinkedHashSet<>();
        for (CellSummary cell : cells) {
            ObjectNode a = cell.axes();
            a.fieldNames().forEachRemaining(axes::add);
        }
        return axes;
    }
}
