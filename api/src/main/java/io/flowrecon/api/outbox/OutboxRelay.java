package io.flowrecon.api.outbox;

import io.flowrecon.api.config.ApiConfig;
import io.flowrecon.shared.messaging.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes pending outbox rows to Kafka, in id order, on one dedicated thread.
 *
 * <p>Jobs of an experiment are published to the sweep topic instead of the row's topic, so that a
 * sweep never queues in front of interactive jobs (the worker's JobConsumer drains it last).
 *
 * <p>Each pass locks a batch with {@code for update skip locked} (so several API replicas share the
 * work without publishing a row twice at the same time), sends it, and marks the rows that the
 * broker acknowledged. Rows whose send failed stay pending and are retried with exponential
 * back-off: a job accepted by the API is never lost, only delayed. Delivery is at least once (a
 * crash between the broker's ack and the commit re-sends a row); workers tolerate duplicates.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /**
     * The fifth column says whether the row announces a job of an experiment: those go to the sweep
     * topic ({@link Topics#sweepOf}), which workers take from only when no interactive job waits.
     * Outbox rows are keyed by job id; the lock is on the outbox rows only.
     */
    private static final String LOCK_BATCH = """
            select o.id, o.topic, o.message_key, o.payload::text,
                   exists (select 1 from jobs j where j.id = cast(o.message_key as uuid) and j.experiment_id is not null)
              from outbox o
             where o.published_at is null order by o.id limit ? for update of o skip locked
            """;
    private static final String MARK_PUBLISHED = "update outbox set published_at = now() where id = any(?)";

    private final DataSource dataSource;
    private final KafkaClients kafka;
    private final ApiConfig config;
    private final Counter published;
    private final Counter failedPasses;
    private ScheduledExecutorService thread;
    private KafkaProducer<String, String> producer;
    private long backoffMillis;

    public OutboxRelay(DataSource dataSource, KafkaClients kafka, ApiConfig config, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.config = config;
        this.published = meters.counter("flowrecon.outbox.published");
        this.failedPasses = meters.counter("flowrecon.outbox.failed.passes");
        meters.gauge("flowrecon.outbox.pending", this, OutboxRelay::pendingOrNaN);
    }

    void onStart(@Observes StartupEvent event) {
        thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "flowrecon-outbox-relay");
            t.setDaemon(true);
            return t;
        });
        thread.schedule(this::loop, 0, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (thread != null) {
            thread.shutdownNow();
            thread.awaitTermination(10, TimeUnit.SECONDS);
        }
        closeProducer();
    }

    private void loop() {
        long delay;
        try {
            int sent = publishPending();
            backoffMillis = 0;
            // A full batch means more are waiting: go again at once.
            delay = sent >= config.outbox().batchSize() ? 0 : config.outbox().pollMillis();
        } catch (Exception e) {
            failedPasses.increment();
            backoffMillis = backoffMillis == 0 ? config.outbox().pollMillis()
                    : Math.min(2 * backoffMillis, config.outbox().maxBackoffMillis());
            LOG.warnf("outbox relay: pass failed (%s); retrying in %d ms", e, backoffMillis);
            delay = backoffMillis;
        }
        if (!thread.isShutdown()) {
            thread.schedule(this::loop, delay, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One pass: publish up to a batch of pending rows.
     *
     * @return the number of rows published
     * @throws Exception when the database or the broker failed; acknowledged rows are still marked
     */
    int publishPending() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<Long> ids = new ArrayList<>();
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                Exception failure = null;
                try (PreparedStatement lock = connection.prepareStatement(LOCK_BATCH)) {
                    lock.setInt(1, config.outbox().batchSize());
                    try (ResultSet rows = lock.executeQuery()) {
                        while (rows.next()) {
                            ids.add(rows.getLong(1));
                            String topic = rows.getBoolean(5) ? Topics.sweepOf(rows.getString(2)) : rows.getString(2);
                            sends.add(producer().send(new ProducerRecord<>(topic, rows.getString(3), rows.getString(4))));
                        }
                    }
                } catch (org.apache.kafka.common.KafkaException e) {
                    failure = e; // send() itself failed, e.g. metadata not available within max.block.ms
                }
                List<Long> acknowledged = new ArrayList<>();
                for (int i = 0; i < sends.size(); i++) {
                    try {
                        sends.get(i).get();
                        acknowledged.add(ids.get(i));
                    } catch (ExecutionException e) {
                        failure = failure == null ? (Exception) e.getCause() : failure;
                    }
                }
                if (!acknowledged.isEmpty()) {
                    try (PreparedStatement mark = connection.prepareStatement(MARK_PUBLISHED)) {
                        Array array = connection.createArrayOf("bigint", acknowledged.toArray());
                        mark.setArray(1, array);
                        mark.executeUpdate();
                    }
                }
                connection.commit();
                published.increment(acknowledged.size());
                if (failure != null) {
                    // A producer that timed out may hold stale state; a fresh one starts clean.
                    closeProducer();
                    throw failure;
                }
                return acknowledged.size();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** Rows not yet published; NaN when the database cannot be asked. */
    public double pendingOrNaN() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement("select count(*) from outbox where published_at is null");
             ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = kafka.newProducer();
        }
        return producer;
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debugf("closing the outbox producer: %s", e);
            }
            producer = null;
        }
    }
}
