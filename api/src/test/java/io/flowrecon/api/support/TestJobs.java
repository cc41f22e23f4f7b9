package io.flowrecon.api.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Request bodies and a plain Kafka reader for the API tests. */
public final class TestJobs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestJobs() {
    }

    public static String pngBase64(int channels, int height, int width) {
        float[] values = new float[channels * height * width];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 11) / 10f;
        }
        return Base64.getEncoder().encodeToString(Png.encode(new Image(new ImageShape(channels, height, width), values)));
    }

    /** A valid compressive-sensing job on the built-in lasso-dct model with a 1x16x16 truth. */
    public static ObjectNode lassoJob(int m) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "lasso-dct");
        ObjectNode problem = body.putObject("problem");
        problem.put("kind", "compressive-sensing").put("m", m).put("operator", "gaussian").put("seed", 7);
        problem.putObject("noise").put("kind", "gaussian-norm").put("norm", 0.1).put("seed", 8);
        body.putObject("truth").put("png", pngBase64(1, 16, 16));
        return body;
    }

    /** A denoising job on the test bundle. */
    public static ObjectNode glowDenoisingJob(int side) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", InfrastructureResource.TEST_MODEL);
        body.putObject("problem").put("kind", "denoising").putObject("noise").put("kind", "gaussian").put("std", 0.1);
        body.putObject("truth").put("png", pngBase64(3, side, side));
        return body;
    }

    public static String uniqueOwner() {
        return "owner-" + UUID.randomUUID();
    }

    /** The first record on {@code topic} with this key, reading from the beginning, within {@code timeout}. */
    public static Optional<ConsumerRecord<String, String>> findRecord(String bootstrapServers, String topic, String key,
                                                                      Duration timeout) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "api-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        return Optional.of(record);
                    }
                }
            }
            return Optional.empty();
        }
    }
}
