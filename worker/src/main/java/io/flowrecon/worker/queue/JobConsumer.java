package io.flowrecon.worker.queue;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Reads jobs from the share group one record at a time, in explicit acknowledgement mode.
 *
 * <p>The Kafka share consumer is not thread-safe, so every consumer call happens on one
 * thread (this one); the job runs on a second thread. While it runs, this thread renews the
 * record's acquisition lock (AcknowledgeType.RENEW, KIP-1222) every third of the lock
 * duration and polls, which is how a renewal is sent; a renewed record is handed back by
 * the next poll and must be acknowledged again before the poll after it (KafkaShareConsumer
 * javadoc, "Extending Processing Times using Renewal Acknowledgement"). When the job ends,
 * the record gets its final acknowledgement and it is committed synchronously.
 */
public final class JobConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobConsumer.class);
    /** The broker default of group.share.record.lock.duration.ms, used until the broker tells us its value. */
    private static final int DEFAULT_LOCK_MS = 30_000;
    private static final Duration RENEW_POLL = Duration.ofMillis(100);
    private static final long WAIT_SLICE_MS = 100;
    private static final long RELEASE_BACKOFF_MS = 2_000;

    private final Properties consumerProperties;
    private final String topic;
    private final Duration pollTimeout;
    private final RecordHandler handler;
    private final BooleanSupplier canTakeWork;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final ExecutorService solveThread;
    private final Thread consumerThread;

    /**
     * @param canTakeWork checked before each poll: while false (the database is down) no record
     *                    is taken, so that an outage does not burn records' delivery attempts
     */
    public JobConsumer(String bootstrapServers, String shareGroup, String topic, String clientId,
                       Duration pollTimeout, RecordHandler handler, BooleanSupplier canTakeWork) {
        this.consumerProperties = properties(bootstrapServers, shareGroup, clientId);
        this.topic = topic;
        this.pollTimeout = pollTimeout;
        this.handler = handler;
        this.canTakeWork = canTakeWork;
        this.solveThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "flowrecon-solve-" + clientId));
        this.consumerThread = new Thread(this::run, "flowrecon-consumer-" + clientId);
    }

    public void start() {
        consumerThread.start();
    }

    /** True while the consumer thread runs (false after a fatal error: the process should be restarted). */
    public boolean alive() {
        return stopping.get() || consumerThread.getState() != Thread.State.TERMINATED;
    }

    /** True once the consumer has joined the share group's subscription and until it stops. */
    public boolean subscribed() {
        return subscribed.get();
    }

    /**
     * Stops taking work, asks the running job to stop, releases its record and closes the
     * consumer (which also releases anything else it holds).
     */
    @Override
    public void close() {
        stopping.set(true);
        try {
            consumerThread.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        solveThread.shutdownNow();
    }

    private void run() {
        try (ShareConsumer<String, String> consumer = new KafkaShareConsumer<>(consumerProperties)) {
            consumer.subscribe(List.of(topic));
            subscribed.set(true);
            while (!stopping.get()) {
                if (!canTakeWork.getAsBoolean()) {
                    sleepQuietly(pollTimeout.toMillis());
                    continue;
                }
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(pollTimeout)) {
                        if (stopping.get()) {
                            consumer.acknowledge(record, AcknowledgeType.RELEASE);
                        } else {
                            process(consumer, record);
                        }
                    }
                } catch (RuntimeException e) {
                    if (stopping.get()) {
                        break;
                    }
                    LOG.warn("poll loop fault, retrying in 1 s", e);
                    sleepQuietly(1_000);
                }
            }
            subscribed.set(false);
            consumer.close(Duration.ofSeconds(10));
        } catch (RuntimeException | Error e) {
            LOG.error("share consumer stopped on a fault; this worker takes no more jobs", e);
            throw e;
        } finally {
            subscribed.set(false);
        }
    }

    private void process(ShareConsumer<String, String> consumer, ConsumerRecord<String, String> record) {
        Future<Disposition> job = solveThread.submit(() -> handler.handle(record.key(), record.value(), stopping::get));
        ConsumerRecord<String, String> current = record;
        boolean inFlight = true;
        boolean lockLost = false;
        long lastRenewNanos = System.nanoTime();
        Disposition disposition;
        while (true) {
            try {
                disposition = job.get(WAIT_SLICE_MS, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException stillRunning) {
                // fall through to the renewal below
            } catch (ExecutionException e) {
                LOG.error("job handler threw instead of answering; releasing the record", e.getCause());
                disposition = Disposition.RELEASE;
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                disposition = Disposition.RELEASE;
                break;
            }
            long lockMs = lockMillis(consumer);
            long sinceRenewMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRenewNanos);
            if (lockLost || inFlight && sinceRenewMs < renewIntervalMs(lockMs)) {
                continue;
            }
            if (!inFlight && sinceRenewMs > lockMs) {
                // The renewal never came back: the broker ended this delivery. Stop polling, or
                // each poll would acquire (and have to release) other jobs' records meanwhile.
                LOG.warn("lost the acquisition lock of offset {} while its job runs", current.offset());
                lockLost = true;
                continue;
            }
            try {
                if (inFlight) {
                    consumer.acknowledge(current, AcknowledgeType.RENEW);
                    inFlight = false;
                    lastRenewNanos = System.nanoTime();
                }
                // Sends the renewal, or collects the renewed record once the broker has answered;
                // a poll with a renewal outstanding fetches no new records (ShareConsumerImpl.collect, 4.4).
                ConsumerRecord<String, String> back = pollForRecord(consumer, current, RENEW_POLL);
                if (back != null) {
                    current = back;
                    inFlight = true;
                }
            } catch (RuntimeException e) {
                // The job keeps running; its guarded claim and result write stay correct if the
                // record goes to another worker meanwhile.
                LOG.warn("renewing the lock of offset {} failed: {}", current.offset(), e.toString());
                inFlight = false;
                lockLost = true;
            }
        }
        acknowledgeFinally(consumer, current, inFlight, lockLost, disposition);
        if (disposition == Disposition.RELEASE && !stopping.get()) {
            // A fault that may pass (the database is down): do not spin through the record's delivery attempts.
            sleepQuietly(RELEASE_BACKOFF_MS);
        }
    }

    private void acknowledgeFinally(ShareConsumer<String, String> consumer, ConsumerRecord<String, String> record,
                                    boolean inFlight, boolean lockLost, Disposition disposition) {
        ConsumerRecord<String, String> current = record;
        // A renewal still on the wire: the record comes back from poll once the broker has answered.
        for (int i = 0; !inFlight && !lockLost && i < 20; i++) {
            ConsumerRecord<String, String> back = pollForRecord(consumer, current, RENEW_POLL);
            if (back != null) {
                current = back;
                inFlight = true;
            }
        }
        if (!inFlight) {
            // The lock was lost (the broker refused a renewal); the broker redelivers the record,
            // and the job's guarded claim turns that redelivery into a no-op if the job ended.
            LOG.warn("lost the acquisition lock of {}-{}@{} before its final acknowledgement {}",
                    record.topic(), record.partition(), record.offset(), disposition);
            return;
        }
        long offset = current.offset();
        try {
            consumer.acknowledge(current, disposition.acknowledgeType());
            var outcome = consumer.commitSync(Duration.ofSeconds(10));
            LOG.debug("offset {}: {} committed ({})", offset, disposition, outcome);
            outcome.forEach((partition, error) -> error.ifPresent(e ->
                    LOG.warn("acknowledgement {} of {} at offset {} failed: {}", disposition, partition,
                            offset, e.toString())));
        } catch (RuntimeException e) {
            LOG.warn("acknowledgement {} of offset {} failed; the record will be redelivered", disposition,
                    offset, e);
        }
    }

    /**
     * Polls once; returns the renewed copy of {@code wanted} if it came back. Anything else
     * that arrives (not expected with max.poll.records = 1: a poll that carries renewals
     * fetches nothing new) is released at once.
     */
    private static ConsumerRecord<String, String> pollForRecord(ShareConsumer<String, String> consumer,
                                                                ConsumerRecord<String, String> wanted, Duration timeout) {
        ConsumerRecord<String, String> found = null;
        for (ConsumerRecord<String, String> r : consumer.poll(timeout)) {
            if (r.topic().equals(wanted.topic()) && r.partition() == wanted.partition() && r.offset() == wanted.offset()) {
                found = r;
            } else {
                LOG.warn("released offset {} that arrived while offset {} was being renewed", r.offset(), wanted.offset());
                consumer.acknowledge(r, AcknowledgeType.RELEASE);
            }
        }
        return found;
    }

    private static long lockMillis(ShareConsumer<String, String> consumer) {
        return consumer.acquisitionLockTimeoutMs().orElse(DEFAULT_LOCK_MS);
    }

    /** A third of the lock: two renewals can be slow or lost before the lock runs out. */
    private static long renewIntervalMs(long lockMs) {
        return Math.max(200, lockMs / 3);
    }

    private static Properties properties(String bootstrapServers, String shareGroup, String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, shareGroup);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        // One job at a time, and no prefetch: a record's lock starts when this worker can start on it.
        props.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        return props;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
