package io.flowrecon.devstack;

import io.flowrecon.shared.cli.CommandLines;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpListsTheOptionsAndTheDemos() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--no-demo") && help.contains("--demo=NAMES"), help);
        assertTrue(help.contains("fmnist, celeba, ffhq, bias"), help);
    }

    @Test
    void anUnknownDemoOrOptionIsNamedWithExitTwo() {
        assertEquals(2, run("--demo", "fmnist,mars"));
        assertEquals(2, run("--demo"));
        assertEquals(2, run("--port", "1"));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("flowrecon up: --demo: 'mars' is not a demo; allowed: fmnist, celeba, ffhq, bias"), text);
        assertTrue(text.contains("flowrecon up: Missing required parameter for option '--demo'"), text);
        assertTrue(text.contains("flowrecon up: Unknown option"), text);
        assertTrue(text.contains("Try 'flowrecon up --help'"), text);
        assertTrue(!text.contains("\tat "), "no stack trace: " + text);
    }

    @Test
    void demosDefaultToFmnistAndAreReplacedNotAppended() {
        assertEquals(DevStack.DEFAULT_DEMOS, parse().chosenDemos());
        assertEquals(List.of("bias", "celeba"), parse("--demo", "bias,celeba").chosenDemos());
        assertEquals(List.of(), parse("--no-demo").chosenDemos());
    }

    private int run(String... args) {
        return UpCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static UpCommand parse(String... args) {
        UpCommand command = new UpCommand();
        CommandLine cli = CommandLines.create(command, System.out, System.err);
        cli.parseArgs(args);
        return command;
    }
}
