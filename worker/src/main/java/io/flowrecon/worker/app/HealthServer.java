package io.flowrecon.worker.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The worker's HTTP face, shaped like Quarkus' SmallRye Health and Micrometer endpoints so
 * that probes and scrapers treat the API and the workers alike: /q/health/live,
 * /q/health/ready ({"status":"UP","checks":[{"name":..,"status":..}]}, 503 when DOWN) and
 * /q/metrics (Prometheus text format).
 */
final class HealthServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, BooleanSupplier> livenessChecks;
    private final Map<String, BooleanSupplier> readinessChecks;
    private final PrometheusMeterRegistry registry;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param port            0 picks a free port
     * @param livenessChecks  down means restart the process
     * @param readinessChecks down means send no work (name to check, in report order)
     */
    HealthServer(int port, Map<String, BooleanSupplier> livenessChecks, Map<String, BooleanSupplier> readinessChecks,
                 PrometheusMeterRegistry registry, String threadName) throws IOException {
        this.livenessChecks = new LinkedHashMap<>(livenessChecks);
        this.readinessChecks = new LinkedHashMap<>(readinessChecks);
        this.registry = registry;
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/q/health/live", exchange -> health(exchange, this.livenessChecks));
        server.createContext("/q/health/ready", exchange -> health(exchange, this.readinessChecks));
        server.createContext("/q/health", exchange -> health(exchange, this.readinessChecks));
        server.createContext("/q/metrics", this::metrics);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void health(HttpExchange exchange, Map<String, BooleanSupplier> checks) throws IOException {
        ObjectNode body = json.createObjectNode();
        ArrayNode list = json.createArrayNode();
        boolean allUp = true;
        for (Map.Entry<String, BooleanSupplier> check : checks.entrySet()) {
            boolean up = safely(check.getValue());
            allUp &= up;
            list.addObject().put("name", check.getKey()).put("status", up ? "UP" : "DOWN");
        }
        body.put("status", allUp ? "UP" : "DOWN");
        body.set("checks", list);
        respond(exchange, allUp ? 200 : 503, "application/json", body.toString());
    }

    private void metrics(HttpExchange exchange) throws IOException {
        respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    private static boolean safely(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
