package io.flowrecon.devstack.junit;

import io.flowrecon.devstack.Infrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real broker and real database through the extension: whatever {@link Infrastructure#start(io.flowrecon.devstack.postgres.Durability)} picks. */
@ExtendWith(InfrastructureExtension.class)
class InfrastructureExtensionTest {

    /** Generous: the first fetch after a group forms can take a few seconds on two busy cores. */
    private static final Duration RECEIVE_DEADLINE = Duration.ofSeconds(60);

    @Test
    void resolvesOneSharedInstancePerJvm(Infrastructure first, Infrastructure second) {
        assertSame(first, second);
    }

    @Test
    void recordTravelsFromProducerToConsumer(Infrastructure infra) throws Exception {
        String topic = "round-trip";
        createTopic(infra, topic);
        produce(infra, topic, "job-1", "hello");

        List<ConsumerRecord<String, String>> received = consumeFromBeginning(infra, topic, "round-trip-group", 1);

        assertEquals("job-1", received.get(0).key());
        assertEquals("hello", received.get(0).value());
    }

    @Test
    void shareConsumerReceivesAndAcceptsARecord(Infrastructure infra) throws Exception {
        String topic = "share-queue";
        String group = "share-workers";
        createTopic(infra, topic);
        try (Admin admin = admin(infra)) {
            // Share groups start at the latest offset unless told otherwise; the worker's group is set up the same way.
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(
                    new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        produce(infra, topic, "job-7", "queued");

        ConsumerRecord<String, String> record = null;
        try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                "share.acknowledgement.mode", "explicit"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + RECEIVE_DEADLINE.toNanos();
            while (record == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    consumer.acknowledge(r, AcknowledgeType.ACCEPT);
                    record = r;
                }
            }
            consumer.commitSync(Duration.ofSeconds(30)).forEach((partition, error) ->
                    assertTrue(error.isEmpty(), "acknowledging on " + partition + " failed: " + error));
        }

        assertTrue(record != null, "the share consumer received nothing within " + RECEIVE_DEADLINE);
        assertEquals("queued", record.value());
        // ACCEPT completes the record: the group's lag on the partition drops to zero (reported by the share
        // coordinator from state it writes asynchronously, hence the polling). Unacknowledged, it would stay 1.
        try (Admin admin = admin(infra)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            Optional<Long> lag = Optional.empty();
            long deadline = System.nanoTime() + RECEIVE_DEADLINE.toNanos();
            while (!lag.equals(Optional.of(0L)) && System.nanoTime() < deadline) {
                Map<TopicPartition, SharePartitionOffsetInfo> offsets = admin.listShareGroupOffsets(Map.of(group,
                        new ListShareGroupOffsetsSpec().topicPartitions(List.of(partition))))
                        .partitionsToOffsetInfo(group).get(30, TimeUnit.SECONDS);
                lag = offsets.get(partition).lag();
                if (!lag.equals(Optional.of(0L))) {
                    Thread.sleep(200);
                }
            }
            assertEquals(Optional.of(0L), lag, "share-group lag after ACCEPTing the only record");
        }
    }

    @Test
    void rowSurvivesARoundTripThroughAFreshDatabase(Infrastructure infra) throws Exception {
        String url = infra.newDatabase("extension_sql_round_trip");
        assertNotEquals(infra.jdbcUrl(), url);
        try (Connection connection = DriverManager.getConnection(url, infra.dbUser(), infra.dbPassword());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id bigint PRIMARY KEY, spec jsonb NOT NULL)");
            statement.execute("INSERT INTO t VALUES (1, '{\"m\": 200}')");
            try (ResultSet rows = statement.executeQuery("SELECT spec->>'m', version() FROM t WHERE id = 1")) {
                assertTrue(rows.next());
                assertEquals("200", rows.getString(1));
                assertTrue(rows.getString(2).startsWith("PostgreSQL 17"), rows.getString(2));
            }
        }
        // The main database is reachable with the same credentials.
        try (Connection connection = DriverManager.getConnection(infra.jdbcUrl(), infra.dbUser(), infra.dbPassword())) {
            assertTrue(connection.isValid(5));
        }
    }

    @Test
    void newDatabaseRejectsNamesThatAreNotPlainIdentifiers(Infrastructure infra) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> infra.newDatabase("x; DROP DATABASE flowrecon"));
        assertTrue(e.getMessage().contains("database name"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> infra.newDatabase("flowrecon"));
    }

    @Test
    void kafkaComesBackOnTheSameAddressWithItsData(Infrastructure infra) throws Exception {
        String topic = "survives-restart";
        createTopic(infra, topic);
        produce(infra, topic, "before", "stop");
        String address = infra.kafkaBootstrapServers();

        infra.stopKafka();
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000))) {
                ExecutionException down = assertThrows(ExecutionException.class,
                        () -> admin.listTopics().names().get(10, TimeUnit.SECONDS));
                assertTrue(down.getCause() instanceof org.apache.kafka.common.errors.TimeoutException,
                        String.valueOf(down.getCause()));
            }
        } finally {
            infra.startKafka();
        }

        assertEquals(address, infra.kafkaBootstrapServers());
        produce(infra, topic, "after", "start");
        List<ConsumerRecord<String, String>> received = consumeFromBeginning(infra, topic, "restart-group", 2);
        assertEquals(List.of("before", "after"), received.stream().map(ConsumerRecord::key).toList());
    }

    private static Admin admin(Infrastructure infra) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()));
    }

    private static void createTopic(Infrastructure infra, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = admin(infra)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void produce(Infrastructure infra, String topic, String key, String value)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<ConsumerRecord<String, String>> consumeFromBeginning(Infrastructure infra, String topic,
                                                                             String group, int count) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + RECEIVE_DEADLINE.toNanos();
            while (received.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        assertEquals(count, received.size(), "records received from " + topic + " within " + RECEIVE_DEADLINE);
        return received;
    }
}
