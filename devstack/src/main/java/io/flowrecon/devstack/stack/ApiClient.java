package io.flowrecon.devstack.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A small client of the REST API v1 (docs/ARCHITECTURE.md), answers as JSON trees. With a key
 * ({@link #withKey}) every call sends {@code Authorization: Bearer <key>}; without one only the open
 * {@code /q/*} endpoints answer.
 */
public final class ApiClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json;
    private final String key;

    /** @param base e.g. {@code http://localhost:8080} */
    public ApiClient(URI base, ObjectMapper json) {
        this(base, json, null, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    private ApiClient(URI base, ObjectMapper json, String key, HttpClient http) {
        this.base = base;
        this.json = json;
        this.key = key;
        this.http = http;
    }

    /** The same client calling with the API key {@code key} ({@code ./flowrecon keys create}). */
    public ApiClient withKey(String key) {
        return new ApiClient(base, json, key, http);
    }

    public URI base() {
        return base;
    }

    /** An HTTP answer: status and body. */
    public record Answer(int status, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** POST /api/v1/jobs; the raw answer, so callers can check 202 or 400. */
    public Answer submitRaw(String jobJson) {
        return send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jobJson)));
    }

    /** POST /api/v1/jobs expecting 202; returns {@code {id, status}}. */
    public JsonNode submit(String jobJson) {
        return expectJson(submitRaw(jobJson), 202, "POST /api/v1/jobs");
    }

    /** GET /api/v1/jobs/{id}. */
    public JsonNode job(String id) {
        return expectJson(get("/api/v1/jobs/" + id), 200, "GET /api/v1/jobs/" + id);
    }

    /** GET /api/v1/jobs/{id}/progress. */
    public JsonNode progress(String id) {
        return expectJson(get("/api/v1/jobs/" + id + "/progress"), 200, "GET /api/v1/jobs/" + id + "/progress");
    }

    /** GET /api/v1/jobs/{id}/image?kind=...; the PNG bytes. */
    public byte[] image(String id, String kind) {
        String path = "/api/v1/jobs/" + id + "/image?kind=" + URLEncoder.encode(kind, StandardCharsets.UTF_8);
        Answer answer = get(path);
        if (answer.status() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + answer.status() + ": " + answer.text());
        }
        return answer.body();
    }

    /** DELETE /api/v1/jobs/{id}; the raw answer. */
    public Answer cancel(String id) {
        return send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs/" + id)).DELETE());
    }

    /** GET /api/v1/jobs?{query} (query already encoded, may be empty). */
    public JsonNode history(String query) {
        String path = "/api/v1/jobs" + (query.isEmpty() ? "" : "?" + query);
        return expectJson(get(path), 200, "GET " + path);
    }

    /** POST of a JSON body to any path of the API, expecting {@code expectedStatus}; the answer as JSON. */
    public JsonNode postJson(String path, String json, int expectedStatus) {
        Answer answer = send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        return expectJson(answer, expectedStatus, "POST " + path);
    }

    /** GET on any path of the API expecting 200; the answer as JSON. */
    public JsonNode getJson(String path) {
        return expectJson(get(path), 200, "GET " + path);
    }

    /** GET on any path of the API; the raw answer. */
    public Answer get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /**
     * Waits until {@code /q/health/ready} answers 200.
     *
     * @param stillStarting false once the server process has died: waiting further is pointless
     * @return whether it became ready within the timeout
     */
    public boolean awaitReady(Duration timeout, BooleanSupplier stillStarting) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && stillStarting.getAsBoolean()) {
            try {
                if (send(HttpRequest.newBuilder(base.resolve("/q/health/ready")).GET()).status() == 200) {
                    return true;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        return false;
    }

    private JsonNode expectJson(Answer answer, int expectedStatus, String what) {
        if (answer.status() != expectedStatus) {
            throw new IllegalStateException(what + " answered " + answer.status() + " (expected " + expectedStatus
                    + "): " + answer.text());
        }
        try {
            return json.readTree(answer.body());
        } catch (IOException e) {
            throw new IllegalStateException(what + " answered invalid JSON: " + answer.text(), e);
        }
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            HttpResponse<byte[]> response = http.send(request.timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the API at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the API", e);
        }
    }
}
