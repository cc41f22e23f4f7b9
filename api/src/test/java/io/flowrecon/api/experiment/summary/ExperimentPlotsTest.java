package io.flowrecon.api.experiment.summary;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentPlotsTest {

    private static List<CellSummary> cells() {
        List<JobRow> rows = new ArrayList<>();
        double[] ratios = {0.05, 0.1, 0.25, 0.5};
        for (String model : List.of("glow", "dcgan", "lasso")) {
            for (double ratio : ratios) {
                for (int image = 0; image < 3; image++) {
                    double psnr = switch (model) {
                        case "glow" -> 18 + 20 * ratio + image;
                        case "dcgan" -> 17 + image * 0.5;
                        default -> 10 + 25 * ratio + image;
                    };
                    rows.add(ExperimentSummariesTest.row(ExperimentSummariesTest.axes(model, ratio, image, 7),
                            "SUCCEEDED", psnr, 0.5, 1000L, null));
                }
            }
        }
        return ExperimentSummaries.cells(rows);
    }

    @Test
    void onePngLinePerModelAtTheRequestedSize() throws Exception {
        ExperimentPlots.Request request = new ExperimentPlots.Request("ratio", ExperimentPlots.Metric.PSNR, true, 640, 400);
        assertEquals(List.of("glow", "dcgan", "lasso"), List.copyOf(ExperimentPlots.series(cells(), request).keySet()));
        byte[] png = ExperimentPlots.png("cs", cells(), request);
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
        java.nio.file.Files.write(java.nio.file.Path.of("target", "plot-sample.png"), png); // to look at
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image, "the PNG decodes");
        assertEquals(640, image.getWidth());
        assertEquals(400, image.getHeight());
        int coloured = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
                    coloured++;
                }
            }
        }
        assertTrue(coloured > 500, "the series' coloured lines are drawn: " + coloured + " pixels");
    }

    @Test
    void theSvgIsAnXmlDocumentOfTheRequestedSizeWithTheLegend() throws Exception {
        ExperimentPlots.Request request = new ExperimentPlots.Request("ratio", ExperimentPlots.Metric.SSIM, false, 700, 450);
        String svg = ExperimentPlots.svg("cs", cells(), request);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // The SVG's DOCTYPE names the W3C DTD; the machine is offline and the test reads the document only.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document document = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", document.getDocumentElement().getTagName());
        assertEquals(700.0, Double.parseDouble(document.getDocumentElement().getAttribute("width")));
        assertEquals(450.0, Double.parseDouble(document.getDocumentElement().getAttribute("height")));
        assertTrue(svg.contains("dcgan") && svg.contains("lasso"), "the legend names the models");
    }

    @Test
    void filtersKeepOnlyMatchingCellsAndOtherVaryingAxesSplitSeries() {
        List<CellSummary> kept = ExperimentPlots.filter(cells(), Map.of("model", "glow"));
        assertEquals(4, kept.size());
        assertEquals(0, ExperimentPlots.filter(cells(), Map.of("ratio", "0.3")).size());
        assertEquals(3, ExperimentPlots.filter(cells(), Map.of("ratio", "0.10")).size(), "numbers compare as numbers");
    }
}
