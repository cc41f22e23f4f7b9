package io.flowrecon.adjoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowrecon.adjoint.onnx.ShapeInference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OperatorTableTest {
    private static final Path README = Path.of("README.md");

    @Test
    void theReadmeListsExactlyTheTablesOperators() throws Exception {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        OperatorTable table = OperatorTable.standard();
        Set<String> shapeOnly = new TreeSet<>(table.opTypes());
        shapeOnly.removeAll(table.differentiable());
        assertEquals(table.differentiable(), listed(lines, "differentiated"), "differentiated operators");
        assertEquals(shapeOnly, listed(lines, "shape-only"), "shape-only operators");
    }

    /** The operators of the README table between the markers: the second cell of each row, comma-separated. */
    private static Set<String> listed(List<String> lines, String marker) {
        int begin = lines.indexOf("<!-- " + marker + ":begin -->");
        int end = lines.indexOf("<!-- " + marker + ":end -->");
        assertTrue(begin >= 0 && end > begin, "README.md lacks the " + marker + " markers");
        Set<String> ops = new TreeSet<>();
        for (String row : lines.subList(begin + 1, end)) {
            String[] cells = row.split("\\|");
            if (row.startsWith("| `") && cells.length > 2) {
                for (String op : cells[2].split(",")) {
                    assertTrue(ops.add(op.strip()), op.strip() + " is listed twice");
                }
            }
        }
        return ops;
    }

    @Test
    void everyDifferentiatedOperatorHasAShapeRule() {
        assertTrue(OperatorTable.standard().opTypes().containsAll(OperatorTable.standard().differentiable()));
    }

    @Test
    void anOperatorRegisteredTwiceIsRefused() {
        OperatorTable.Builder b = new OperatorTable.Builder().shapeOnly("Abs", ShapeInference::sameAsFirst);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> b.define("Abs", ShapeInference::sameAsFirst, VjpContext::noGrads));
        assertTrue(e.getMessage().contains("Abs"), e.getMessage());
    }

    @Test
    void replacingTheAdjointOfAnUnknownOperatorIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> OperatorTable.standard().withVjp("NoSuchOp", VjpContext::noGrads));
    }

    @Test
    void anAddedOperatorGetsShapesAndAnAdjoint() {
        OperatorTable table = OperatorTable.standard().with("MyOp", ShapeInference::sameAsFirst,
                VjpContext::noGrads);
        assertTrue(table.differentiable().contains("MyOp"));
        assertTrue(table.opTypes().contains("MyOp"));
        assertTrue(!OperatorTable.standard().opTypes().contains("MyOp"), "the standard table is immutable");
    }
}
