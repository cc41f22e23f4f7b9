package io.flowrecon.worker.cli.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flowrecon.worker.cli.CliRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code model import | list | delete} against a stand-in for the API: what goes over the wire (multipart
 * fields and files, the bearer key) and how answers become output and exit codes. The real API's side is
 * tested by the api module and the system tests.
 */
class RegistryCommandsTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();
    /** What GET /api/v1/models/{id} answers. */
    private volatile String polled = "{\"id\": \"tg\", \"status\": \"ready\", \"kind\": \"glow\", \"sha256\": \"abc\","
            + " \"card\": {\"imageShape\": [1, 8, 8], \"latentSize\": 64}}";

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/models", this::answer);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        requests.add(request);
        bodies.put(request, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1));
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.put(request, auth == null ? "" : auth);
        switch (request) {
            case "POST /api/v1/models" -> send(exchange, 202, "{\"id\": \"tg\", \"status\": \"validating\"}");
            case "GET /api/v1/models/tg" -> send(exchange, 200, polled);
            case "GET /api/v1/models" -> send(exchange, 200, "{\"items\": [" + polled + ", {\"id\": \"lasso-dct\","
                    + " \"kind\": \"lasso-dct\", \"status\": \"ready\", \"builtin\": true, \"card\": {}}]}");
            case "DELETE /api/v1/models/busy" -> send(exchange, 409,
                    "{\"error\": \"conflict\", \"message\": \"model 'busy' is used by 2 queued or running job(s)\"}");
            case "DELETE /api/v1/models/tg" -> send(exchange, 204, null);
            default -> send(exchange, 404, "{\"error\": \"not-found\", \"message\": \"no such thing\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json == null ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private String api() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private CliRun run(String... args) {
        return CliRun.of(Map.of("FLOWRECON_API_KEY", "fr_test_key"), args);
    }

    @Test
    void importUploadsTheFormAndWaitsUntilTheModelIsReady(@TempDir Path dir) throws IOException {
        Path generator = dir.resolve("g.onnx");
        Files.write(generator, new byte[] {8, 0, 1, 2, 3});
        CliRun run = run("model", "import", "--generator", generator.toString(), "--kind", "glow", "--id", "tg",
                "--value-range", "-1,1", "--dataset", "toys", "--api", api());
        assertEquals(0, run.code(), run.text());
        assertTrue(run.out().contains("model 'tg' is ready (glow, image [1,8,8], latent 64"), run.out());

        String form = bodies.get("POST /api/v1/models");
        assertTrue(form.contains("name=\"id\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\ntg\r\n"), form);
        assertTrue(form.contains("\r\n\r\n-1,1\r\n") && form.contains("\r\n\r\ntoys\r\n"), form);
        assertTrue(form.contains("name=\"generator\"; filename=\"generator.onnx\""), form);
        assertTrue(form.contains(new String(new byte[] {8, 0, 1, 2, 3}, StandardCharsets.ISO_8859_1)), form);
        assertTrue(!form.contains("name=\"encoder\""), "no encoder given, none sent");
        assertEquals("Bearer fr_test_key", authorizations.get("POST /api/v1/models"));
        assertTrue(requests.contains("GET /api/v1/models/tg"), "polled until ready: " + requests);
    }

    @Test
    void aRejectedImportExitsWithOneAndPrintsTheReason(@TempDir Path dir) throws IOException {
        polled = "{\"id\": \"tg\", \"status\": \"rejected\", \"reason\": \"uses operator Elu\"}";
        Path generator = dir.resolve("g.onnx");
        Files.write(generator, new byte[] {1});
        CliRun run = run("model", "import", "--generator", generator.toString(), "--kind", "dcgan", "--id", "tg",
                "--api", api());
        assertEquals(1, run.code(), run.text());
        assertTrue(run.err().contains("model 'tg' was rejected: uses operator Elu"), run.err());
    }

    @Test
    void aMissingGeneratorFileIsAUsageError(@TempDir Path dir) {
        CliRun run = run("model", "import", "--generator", dir.resolve("none.onnx").toString(), "--kind", "glow",
                "--id", "tg", "--api", api());
        assertEquals(2, run.code(), run.text());
        assertTrue(run.err().contains("--generator"), run.err());
        assertTrue(requests.isEmpty(), "nothing was sent");
    }

    @Test
    void listShowsStatusAndDeleteReportsTheApisRefusal() {
        CliRun list = run("model", "list", "--api", api());
        assertEquals(0, list.code(), list.text());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("tg ") && l.contains("ready") && l.contains("[1,8,8]")),
                list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("lasso-dct") && l.contains("(built in)")), list.out());

        CliRun busy = run("model", "delete", "busy", "--api", api());
        assertEquals(1, busy.code(), busy.text());
        assertTrue(busy.err().contains("409: model 'busy' is used by 2 queued or running job(s)"), busy.err());
        CliRun deleted = run("model", "delete", "tg", "--api", api());
        assertEquals(0, deleted.code(), deleted.text());
        assertTrue(deleted.out().contains("deleted model 'tg'"), deleted.out());
    }
}
