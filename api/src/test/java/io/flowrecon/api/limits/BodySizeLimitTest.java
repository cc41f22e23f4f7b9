package io.flowrecon.api.limits;

import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.flowrecon.api.support.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A body declared larger than quarkus.http.limits.max-body-size (32M here) is refused from its headers, before
 * any of it is sent: the test declares 40 MB and sends none (so it also shows nothing waits for the body).
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class BodySizeLimitTest {

    @Test
    void aDeclaredOversizedBodyIs413NamingBothSizes() throws Exception {
        String key = TestKeys.keyFor(TestJobs.uniqueOwner());
        long declared = 40L * 1024 * 1024;
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + declared + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAnswer(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json"), answer);
            assertTrue(answer.contains("\"error\":\"body-too-large\""), answer);
            assertTrue(answer.contains(declared + " bytes") && answer.contains("at most " + 32L * 1024 * 1024), answer);
            assertTrue(answer.contains("quarkus.http.limits.max-body-size"), answer);
        }
    }

    /** Reads the status line, the headers and a body of Content-Length bytes; what came if the server stalls. */
    private static String readAnswer(InputStream in) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            int headerEnd = -1;
            while (headerEnd < 0) {
                int b = in.read();
                if (b < 0) {
                    return bytes.toString(StandardCharsets.UTF_8);
                }
                bytes.write(b);
                headerEnd = bytes.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
            }
            String headers = bytes.toString(StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            int at = headers.indexOf("content-length:");
            int length = at < 0 ? 0 : Integer.parseInt(headers.substring(at + 15, headers.indexOf("\r\n", at)).strip());
            bytes.write(in.readNBytes(length));
        } catch (SocketTimeoutException e) {
            bytes.write(("\n(no more within the timeout)").getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
