package io.flowrecon.worker.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One run of the worker command line in this JVM: its exit status and what it printed. */
public record CliRun(int code, String out, String err) {

    public static CliRun of(Map<String, String> env, String... args) {
        return of(env, List.of(args));
    }

    public static CliRun of(Map<String, String> env, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FlowreconCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Both streams, for assertion messages. */
    public String text() {
        return out + err;
    }
}
