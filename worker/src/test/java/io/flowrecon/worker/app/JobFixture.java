package io.flowrecon.worker.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.shared.job.StoredSpecs;
import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.messaging.JobMessage;
import io.flowrecon.shared.messaging.Topics;
import io.flowrecon.worker.queue.QueueSetup;
import io.flowrecon.worker.runtime.RuntimeConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the API and its outbox relay would do, for worker tests: a fresh migrated database, a
 * topic of its own, model and job rows with their inputs, and JobMessages on the topic.
 */
final class JobFixture implements AutoCloseable {

    static final String LASSO = "lasso-dct";

    private final Infrastructure infra;
    private final String dbUrl;
    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final ObjectMapper json = new ObjectMapper();
    private int sweepPublished;
    private int published;

    /** @param name lower-case identifier: names the database, the topic and the share group */
    JobFixture(Infrastructure infra, String name) {
        this.infra = infra;
        String unique = name + "_" + UUID.randomUUID().toString().substring(0, 8);
        this.dbUrl = infra.newDatabase(unique.toLowerCase(Locale.ROOT));
        Flyway.configure().dataSource(dbUrl, infra.dbUser(), infra.dbPassword())
                .locations("classpath:db/migration").load().migrate();
        this.topic = "flowrecon.jobs." + unique;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
        QueueSetup queues = new QueueSetup(infra.kafkaBootstrapServers());
        queues.ensure(topic, shareGroup());
        queues.ensure(Topics.sweepOf(topic), shareGroup());
        execute("insert into models (id, kind, card, sha256) values (?, ?, '{}'::jsonb, ?)", LASSO, LASSO, "sha-of-lasso");
    }

    String topic() {
        return topic;
    }

    String shareGroup() {
        return topic + ".workers";
    }

    String dbUrl() {
        return dbUrl;
    }

    WorkerConfig config(String workerId) {
        return new WorkerConfig(dbUrl, infra.dbUser(), infra.dbPassword(), infra.kafkaBootstrapServers(), workerId,
                0, null, topic, shareGroup(), Duration.ofMillis(500), RuntimeConfig.cpu(1));
    }

    /** The environment a child worker process gets for the same database, topic and group. */
    Map<String, String> environment(String workerId) {
        return Map.of("FLOWRECON_DB_URL", dbUrl, "FLOWRECON_DB_USER", infra.dbUser(),
                "FLOWRECON_DB_PASSWORD", infra.dbPassword(),
                "FLOWRECON_KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers(),
                "FLOWRECON_WORKER_ID", workerId, "FLOWRECON_WORKER_HTTP_PORT", "0",
                "FLOWRECON_JOBS_TOPIC", topic, "FLOWRECON_WORKER_SHARE_GROUP", shareGroup());
    }

    /** Sets the share group's record lock duration (the broker bounds it, by default to at least 15 s). */
    void setRecordLockMillis(int millis) {
        new QueueSetup(infra.kafkaBootstrapServers()).setGroupConfigs(shareGroup(),
                Map.of(QueueSetup.SHARE_RECORD_LOCK_DURATION_MS, Integer.toString(millis)));
    }

    /**
     * The records of the job topics that the share group has not yet acknowledged (the sum of
     * their partitions' lag), or -1 while the broker has no offsets for the group.
     */
    long unacknowledgedRecords() {
        try (Admin admin = Admin.create(Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()))) {
            Map<TopicPartition, SharePartitionOffsetInfo> offsets = admin
                    .listShareGroupOffsets(Map.of(shareGroup(), new ListShareGroupOffsetsSpec()))
                    .partitionsToOffsetInfo(shareGroup()).get(30, TimeUnit.SECONDS);
            // A topic's partitions have no lag (no offset info) until a record was published there.
            List<SharePartitionOffsetInfo> counted = offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(Topics.sweepOf(topic)) ? sweepPublished > 0 : published > 0)
                    .map(Map.Entry::getValue).toList();
            if (counted.isEmpty() || counted.stream().anyMatch(o -> o == null || o.lag().isEmpty())) {
                return -1;
            }
            return counted.stream().mapToLong(o -> o.lag().orElseThrow()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of share group " + shareGroup(), e);
        }
    }

    void registerModel(String id, String kind) {
        execute("insert into models (id, kind, card, sha256) values (?, ?, '{}'::jsonb, ?)", id, kind, "sha-of-" + id);
    }

    /** A grey test image: a smooth ramp plus a bright square, so that it is sparse in the DCT but not trivial. */
    static Image testImage(int side) {
        float[] values = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                boolean square = y >= side / 4 && y < side / 2 && x >= side / 4 && x < side / 2;
                values[y * side + x] = square ? 0.9f : 0.2f + 0.4f * (x + y) / (2f * side);
            }
        }
        return new Image(new ImageShape(1, side, side), values);
    }

    /** A Lasso-DCT denoising job (noise std 0.05) on a {@code side x side} test image. */
    static JobSpec denoising(int steps, long noiseSeed) {
        SolverSettings lasso = SolverSettings.defaultsFor(LASSO);
        SolverSettings settings = new SolverSettings(lasso.optimizer(), steps, lasso.lr(), lasso.gamma(),
                lasso.lambda(), lasso.restarts(), lasso.init());
        return new JobSpec(LASSO, new Problem.Denoising(new Problem.Noise.Gaussian(0.05, noiseSeed)), settings, null);
    }

    /** Inserts a QUEUED job with a truth image (what POST /api/v1/jobs stores) and returns its id. */
    UUID insertJob(JobSpec spec, Image truth) {
        return insertJob(spec.model(), StoredSpecs.write(spec, truth.shape()), Png.encode(truth));
    }

    UUID insertJob(String modelId, String specJson, byte[] truthPng) {
        UUID id = UUID.randomUUID();
        execute("""
                insert into jobs (id, owner, model_id, problem_kind, spec, spec_hash, status)
                values (?, 'test', ?, 'denoising', ?::jsonb, ?, 'QUEUED')""", id, modelId, specJson, "hash-" + id);
        execute("insert into job_inputs (job_id, truth_png) values (?, ?)", id, truthPng);
        return id;
    }

    /** Publishes the job's message, as the outbox relay does. */
    void publish(UUID jobId) {
        publishRaw(jobId.toString(), message(jobId));
    }

    /** Publishes the message of an experiment's job to the sweep topic, as the outbox relay does. */
    void publishSweep(UUID jobId) {
        sweepPublished++;
        publishTo(Topics.sweepOf(topic), jobId.toString(), message(jobId));
    }

    void publishRaw(String key, String value) {
        published++;
        publishTo(topic, key, value);
    }

    private void publishTo(String target, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(target, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + target, e);
        }
    }

    String message(UUID jobId) {
        try {
            return json.writeValueAsString(new JobMessage(jobId.toString(), LASSO, "hash-" + jobId));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String status(UUID jobId) {
        return queryString("select status from jobs where id = ?", jobId);
    }

    String error(UUID jobId) {
        return queryString("select error from jobs where id = ?", jobId);
    }

    String workerOf(UUID jobId) {
        return queryString("select worker_id from jobs where id = ?", jobId);
    }

    int attempts(UUID jobId) {
        return queryLong("select attempts from jobs where id = ?", jobId).intValue();
    }

    long resultCount(UUID jobId) {
        return queryLong("select count(*) from results where job_id = ?", jobId);
    }

    long progressCount(UUID jobId) {
        return queryLong("select count(*) from job_progress where job_id = ?", jobId);
    }

    long maxProgressIteration(UUID jobId) {
        return queryLong("select coalesce(max(iteration), 0) from job_progress where job_id = ?", jobId);
    }

    void execute(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Rows of a query as lists of column values. */
    List<List<Object>> rows(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                List<List<Object>> rows = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    String queryString(String sql, Object... args) {
        List<List<Object>> rows = rows(sql, args);
        return rows.isEmpty() || rows.get(0).get(0) == null ? null : rows.get(0).get(0).toString();
    }

    Long queryLong(String sql, Object... args) {
        List<List<Object>> rows = rows(sql, args);
        return rows.isEmpty() || rows.get(0).get(0) == null ? null : ((Number) rows.get(0).get(0)).longValue();
    }

    /** Waits for a condition, failing with {@code what} when it does not hold within the timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(dbUrl, infra.dbUser(), infra.dbPassword());
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
