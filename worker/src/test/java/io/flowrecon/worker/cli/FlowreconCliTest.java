package io.flowrecon.worker.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowreconCliTest {

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void dispatchesToTheNamedCommandWithTheRemainingArguments() throws Exception {
        List<String> seen = new ArrayList<>();
        Command echo = new Command() {
            public String summary() {
                return "echo";
            }

            public int run(List<String> args, Map<String, String> env) {
                seen.addAll(args);
                return 7;
            }
        };
        FlowreconCli cli = new FlowreconCli(Map.of("echo", echo));

        assertEquals(7, cli.run(List.of("echo", "a", "b"), Map.of(), err));
        assertEquals(List.of("a", "b"), seen);
    }

    @Test
    void unknownCommandPrintsUsageAndExitsWithTwo() throws Exception {
        FlowreconCli cli = new FlowreconCli(FlowreconCli.commands());

        assertEquals(2, cli.run(List.of("frobnicate"), Map.of(), err));
        String text = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("unknown command 'frobnicate'"), text);
        assertTrue(text.contains("worker"), "usage lists the worker command: " + text);
    }

    @Test
    void workerCommandRefusesArguments() throws Exception {
        assertEquals(2, new FlowreconCli(FlowreconCli.commands()).run(List.of("worker", "--port", "1"), Map.of(), err));
    }
}
