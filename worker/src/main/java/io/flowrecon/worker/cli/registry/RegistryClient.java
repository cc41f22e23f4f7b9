package io.flowrecon.worker.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The model registry of a running API ({@code /api/v1/models}), as the command line uses it: the same calls a
 * user makes with curl, so that an import from the command line and one over HTTP are one code path.
 */
public final class RegistryClient {

    /** An upload of a few tens of MB over a slow link; reads answer at once. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** @param apiKey sent as {@code Authorization: Bearer}, or null for none */
    public RegistryClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** The HTTP status and the JSON body (null when the body is empty). */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status / 100 == 2;
        }

        /** The API's message for an error answer, else the body. */
        public String message() {
            return body == null ? "(no body)" : body.path("message").isTextual() ? body.path("message").asText()
                    : body.toString();
        }
    }

    /**
     * POST /api/v1/models as multipart/form-data.
     *
     * @param fields text fields (id, kind, valueRange, dataset); null values are left out
     * @param files  file fields (generator, encoder): name to bytes; null values are left out
     */
    public Answer importModel(Map<String, String> fields, Map<String, byte[]> files) throws IOException, InterruptedException {
        String boundary = "flowrecon-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (field.getValue() != null) {
                part(body, boundary, "form-data; name=\"" + field.getKey() + "\"", "text/plain; charset=UTF-8",
                        field.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            if (file.getValue() != null) {
                part(body, boundary, "form-data; name=\"" + file.getKey() + "\"; filename=\"" + file.getKey() + ".onnx\"",
                        "application/octet-stream", file.getValue());
            }
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return send(request("/api/v1/models").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    public Answer model(String id) throws IOException, InterruptedException {
        return send(request("/api/v1/models/" + id).GET().build());
    }

    public Answer list() throws IOException, InterruptedException {
        return send(request("/api/v1/models").GET().build());
    }

    public Answer delete(String id) throws IOException, InterruptedException {
        return send(request("/api/v1/models/" + id).DELETE().build());
    }

    private static void part(ByteArrayOutputStream body, String boundary, String disposition, String type, byte[] content)
            throws IOException {
        body.write(("--" + boundary + "\r\nContent-Disposition: " + disposition + "\r\nContent-Type: " + type
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey.strip());
        }
        return request;
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = null;
        if (response.body().length > 0) {
            try {
                body = json.readTree(response.body());
            } catch (IOException e) {
                body = json.getNodeFactory().textNode(new String(response.body(), StandardCharsets.UTF_8));
            }
        }
        return new Answer(response.statusCode(), body);
    }
}
