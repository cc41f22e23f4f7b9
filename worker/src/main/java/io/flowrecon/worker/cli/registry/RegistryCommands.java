package io.flowrecon.worker.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
import io.flowrecon.worker.cli.FlowreconCli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code flowrecon model import | list | delete}: the registry of a running API, through its HTTP calls. The
 * API is FLOWRECON_API_URL (default http://localhost:8080) or {@code --api}; the key is FLOWRECON_API_KEY, else
 * the local stack's {@code .flowrecon/api-key} when there is one.
 */
public final class RegistryCommands {

    static final String DEFAULT_API = "http://localhost:8080";
    static final Path LOCAL_KEY = Path.of(".flowrecon", "api-key");

    private RegistryCommands() {
    }

    /** Where the API is and how to authenticate, shared by the three commands. */
    static final class ApiOptions {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;
        @Option(names = "--api", paramLabel = "URL", description = "The API (default: FLOWRECON_API_URL, else "
                + DEFAULT_API + ").")
        URI api;

        RegistryClient client(FlowreconCli cli) {
            URI base = api != null ? api : URI.create(cli.environment().getOrDefault("FLOWRECON_API_URL", DEFAULT_API));
            if (base.getScheme() == null || !base.getScheme().startsWith("http")) {
                throw CommandLines.usageError(spec, "--api must be an http(s) URL, got '" + base + "'");
            }
            String key = cli.environment().get("FLOWRECON_API_KEY");
            if ((key == null || key.isBlank()) && Files.isReadable(LOCAL_KEY)) {
                try {
                    key = Files.readString(LOCAL_KEY).strip();
                } catch (IOException e) {
                    key = null;
                }
            }
            return new RegistryClient(base, key);
        }
    }

    /** Reports an answer that is not 2xx; returns the exit status. */
    static int failed(CommandSpec spec, RegistryClient.Answer answer) {
        spec.commandLine().getErr().println(CommandLines.qualifiedName(spec) + ": the API answered " + answer.status()
                + ": " + answer.message());
        return 1;
    }

    static String describe(JsonNode model) {
        JsonNode card = model.path("card");
        return model.path("kind").asText() + ", image " + card.path("imageShape") + ", latent "
                + card.path("latentSize").asText("?") + ", bundle sha256 " + model.path("sha256").asText();
    }

    @Command(name = "import", sortOptions = false,
            description = "Import an ONNX generator (e.g. from torch.onnx.export) into the API's registry; waits "
                    + "until its checks have made it ready or rejected it.")
    public static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;
        @Option(names = "--generator", required = true, paramLabel = "G.onnx",
                description = "The generator: z [batch, latent] -> x [batch, C, H, W].")
        Path generator;
        @Option(names = "--encoder", paramLabel = "E.onnx", description = "The inverse of an invertible prior (optional).")
        Path encoder;
        @Option(names = "--kind", required = true, paramLabel = "KIND", description = "glow or dcgan (selects the solver).")
        String kind;
        @Option(names = "--id", required = true, paramLabel = "ID", description = "The model id jobs name.")
        String id;
        @Option(names = "--value-range", paramLabel = "LO,HI", description = "The generator's output range (default 0,1).")
        String valueRange;
        @Option(names = "--dataset", paramLabel = "NAME", description = "What it was trained on (shown on the card).")
        String dataset;
        @Option(names = "--no-wait", description = "Return once uploaded, while the model is still validating.")
        boolean noWait;
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
                description = "How long to wait for the checks (default ${DEFAULT-VALUE}).")
        int timeoutSeconds;
        @Mixin
        ApiOptions options;

        @Override
        public Integer call() throws Exception {
            byte[] generatorBytes = read("--generator", generator);
            byte[] encoderBytes = encoder == null ? null : read("--encoder", encoder);
            RegistryClient client = options.client(FlowreconCli.of(spec));
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("id", id);
            fields.put("kind", kind);
            fields.put("valueRange", valueRange);
            fields.put("dataset", dataset);
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("generator", generatorBytes);
            files.put("encoder", encoderBytes);
            RegistryClient.Answer answer = client.importModel(fields, files);
            if (!answer.ok()) {
                return failed(spec, answer);
            }
            JsonNode model = answer.body();
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            while (!noWait && "validating".equals(model.path("status").asText()) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                RegistryClient.Answer poll = client.model(id);
                if (!poll.ok()) {
                    return failed(spec, poll);
                }
                model = poll.body();
            }
            return report(model);
        }

        private int report(JsonNode model) {
            PrintWriter out = spec.commandLine().getOut();
            String status = model.path("status").asText();
            switch (status) {
                case "ready" -> out.println("model '" + id + "' is ready (" + describe(model) + ")");
                case "rejected" -> {
                    spec.commandLine().getErr().println("model '" + id + "' was rejected: " + model.path("reason").asText());
                    return 1;
                }
                default -> {
                    out.println("model '" + id + "' is " + status + " (" + describe(model) + "); "
                            + "'./flowrecon model list' shows when it is ready");
                    return noWait ? 0 : 1;
                }
            }
            return 0;
        }

        private byte[] read(String option, Path file) {
            if (!Files.isRegularFile(file)) {
                throw CommandLines.usageError(spec, option + " " + file + " is not a file");
            }
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw CommandLines.usageError(spec, option + " " + file + " cannot be read: " + e.getMessage());
            }
        }
    }

    @Command(name = "list", description = "List the API's models with their status.")
    public static final class ListModels implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;
        @Mixin
        ApiOptions options;

        @Override
        public Integer call() throws Exception {
            RegistryClient.Answer answer = options.client(FlowreconCli.of(spec)).list();
            if (!answer.ok()) {
                return failed(spec, answer);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-28s %-10s %-10s %-14s %s%n", "ID", "KIND", "STATUS", "IMAGE", "OWNER");
            for (JsonNode model : answer.body().path("items")) {
                JsonNode shape = model.path("card").path("imageShape");
                out.printf("%-28s %-10s %-10s %-14s %s%n", model.path("id").asText(), model.path("kind").asText(),
                        model.path("status").asText(), shape.isArray() ? shape.toString() : "any",
                        model.path("builtin").asBoolean() ? "(built in)" : model.path("owner").asText());
                if (model.hasNonNull("reason")) {
                    out.println("    " + model.path("reason").asText());
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete an imported model (refused while queued or running jobs use it).")
    public static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;
        @Parameters(paramLabel = "ID", description = "The model to delete.")
        String id;
        @Mixin
        ApiOptions options;

        @Override
        public Integer call() throws Exception {
            RegistryClient.Answer answer = options.client(FlowreconCli.of(spec)).delete(id);
            if (!answer.ok()) {
                return failed(spec, answer);
            }
            spec.commandLine().getOut().println("deleted model '" + id + "'");
            return 0;
        }
    }
}
