package io.flowrecon.worker.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowreconCliTest {

    private static final List<String> COMMANDS = List.of("worker", "model", "gradcheck", "solve", "bench");

    @Test
    void helpListsEveryCommandOnStandardOutput() {
        for (String help : List.of("--help", "help")) {
            CliRun run = CliRun.of(Map.of(), help);
            assertEquals(0, run.code(), run.text());
            for (String command : COMMANDS) {
                assertTrue(run.out().contains(command), help + " lists " + command + ": " + run.out());
            }
        }
    }

    @Test
    void everyCommandAnswersHelpWithItsOptions() {
        Map<String, String> anOption = Map.of("model", "init-glow", "gradcheck", "--tolerance", "solve", "--problem",
                "bench", "--z-std", "worker", "FLOWRECON_");
        for (String command : COMMANDS) {
            CliRun run = CliRun.of(Map.of(), command, "--help");
            assertEquals(0, run.code(), run.text());
            assertTrue(run.out().contains(anOption.get(command)), command + " --help: " + run.out());
        }
        CliRun enums = CliRun.of(Map.of(), "solve", "--help");
        assertTrue(enums.out().contains("cs, denoise, inpaint") && enums.out().contains("gaussian, subsampled-dct"),
                "enum options list their values: " + enums.out());
    }

    @Test
    void helpWorksWhateverTheEnvironmentHolds() {
        CliRun run = CliRun.of(Map.of("FLOWRECON_INTRA_OP_THREADS", "many"), "bench", "--help");
        assertEquals(0, run.code(), run.text());
    }

    @Test
    void unknownCommandNamesTheCommandsAndExitsWithTwo() {
        CliRun run = CliRun.of(Map.of(), "frobnicate");

        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("flowrecon: unknown command 'frobnicate'; the commands are: worker, model"),
                run.err());
        assertTrue(run.err().contains("Try 'flowrecon --help'"), run.err());
        assertEquals(2, CliRun.of(Map.of()).code(), "no command at all");
    }

    @Test
    void badOptionsAreOneLineNamingTheOptionWithoutAStackTrace() {
        CliRun unknown = CliRun.of(Map.of(), "worker", "--port", "1");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("flowrecon worker: Unknown option") && unknown.err().contains("'--port'"), unknown.err());
        assertTrue(unknown.err().contains("Try 'flowrecon worker --help'"), unknown.err());

        CliRun notAnInt = CliRun.of(Map.of(), "bench", "--model", "x", "--m", "many");
        assertEquals(2, notAnInt.code());
        assertTrue(notAnInt.err().startsWith("flowrecon bench: Invalid value for option '--m': 'many' is not an int"),
                notAnInt.err());

        CliRun badEnum = CliRun.of(Map.of(), "solve", "--model", "x", "--problem", "deblur", "--image", "a.png",
                "--out", "b.png");
        assertEquals(2, badEnum.code());
        assertTrue(badEnum.err().contains("'--problem': expected one of cs, denoise, inpaint but was 'deblur'"),
                badEnum.err());

        CliRun missing = CliRun.of(Map.of(), "solve", "--problem", "cs");
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("flowrecon solve: Missing required options: '--model=DIR'"), missing.err());
        for (CliRun run : List.of(unknown, notAnInt, badEnum, missing)) {
            assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
        }
    }

    @Test
    void aBadEnvironmentVariableIsNamedWithExitTwo() {
        CliRun run = CliRun.of(Map.of("FLOWRECON_INTRA_OP_THREADS", "many"), "gradcheck", "/nowhere");

        assertEquals(2, run.code(), run.text());
        assertTrue(run.err().startsWith("flowrecon gradcheck: FLOWRECON_INTRA_OP_THREADS must be an integer"), run.err());
    }
}
