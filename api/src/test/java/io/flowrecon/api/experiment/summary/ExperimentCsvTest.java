package io.flowrecon.api.experiment.summary;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

public class ExperimentCsvTest {

    /** RFC 4180 fields of one CSV document (quotes, doubled quotes, CRLF). */
    public static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        return rows;
    }

    @Test
    void theCellCsvParsesBackToTheSummaryNumbers() {
        List<CellSummary> cells = ExperimentSummaries.cells(ExperimentSummariesTest.rows());
        List<List<String>> table = parse(ExperimentCsv.cells(cells));
        List<String> header = table.get(0);
        assertEquals(cells.size() + 1, table.size());
        int mean = header.indexOf("psnr_mean");
        int std = header.indexOf("psnr_std");
        int model = header.indexOf("model");
        for (int i = 0; i < cells.size(); i++) {
            List<String> line = table.get(i + 1);
            assertEquals(header.size(), line.size());
            assertEquals(cells.get(i).axes().get("model").asText(), line.get(model));
            Double expected = cells.get(i).psnr().mean();
            assertEquals(expected == null ? "" : Double.toString(expected), line.get(mean));
            if (cells.get(i).psnr().std() != null) {
                assertEquals(cells.get(i).psnr().std(), Double.parseDouble(line.get(std)), 0.0, "full precision");
            }
        }
    }

    @Test
    void theJobCsvHasEveryAxisAndQuotesProvenance() {
        List<JobRow> rows = ExperimentSummariesTest.rows();
        List<List<String>> table = parse(ExperimentCsv.jobs(rows));
        List<String> header = table.get(0);
        for (String column : List.of("job", "model", "problem", "ratio", "operatorSeed", "image", "status", "psnr",
                "ssim", "model_sha256", "provenance")) {
            assertEquals(true, header.contains(column), column + " in " + header);
        }
        assertEquals(rows.size() + 1, table.size());
        List<String> first = table.get(1);
        assertEquals(rows.get(0).id().toString(), first.get(0));
        assertEquals("20.0", first.get(header.indexOf("psnr")));
        assertEquals("{\"seed\": 1}", first.get(header.indexOf("provenance")), "a quoted field with commas and quotes");
        assertEquals("solver diverged", table.get(6).get(header.indexOf("error")));
    }
}
