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
 * thread (this one); the job runs on a second thread, so a solve, however long and however
 * busy the cores, never holds up this one. While the job runs, this thread keeps the record's
 * acquisition lock alive ({@link HeldRecord}); when it ends, the record gets its final
 * acknowledgement, committed synchronously.
 */
public final class JobConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobConsumer.class);
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
        // A hint only (HotSpot on Linux ignores priorities unless started with -XX:ThreadPriorityPolicy=1):
        // this thread does no work of its own, but a late renewal costs the job its lock.
        this.consumerThread.setPriority(Thread.MAX_PRIORITY);
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
                    long polledAtNanos = System.nanoTime();
                    for (ConsumerRecord<String, String> record : consumer.poll(pollTimeout)) {
                        if (stopping.get()) {
                            consumer.acknowledge(record, AcknowledgeType.RELEASE);
                        } else {
                            process(consumer, record, polledAtNanos);
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

    private void process(ShareConsumer<String, String> consumer, ConsumerRecord<String, String> record,
                         long polledAtNanos) {
        HeldRecord held = new HeldRecord(consumer, record, polledAtNanos);
        Future<Disposition> job = solveThread.submit(() -> handler.handle(record.key(), record.value(), stopping::get));
        Disposition disposition;
        while (true) {
            try {
                disposition = job.get(Math.max(1, Math.min(WAIT_SLICE_MS, held.untilRenewalMs())), TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException stillRunning) {
                held.renewIfDue();
            } catch (ExecutionException e) {
                LOG.error("job handler threw instead of answering; releasing the record", e.getCause());
                disposition = Disposition.RELEASE;
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                disposition = Disposition.RELEASE;
                break;
            }
        }
        held.acknowledge(disposition);
        if (disposition == Disposition.RELEASE && !stopping.get()) {
            // A fault that may pass (the database is down): do not spin through the record's delivery attempts.
            sleepQuietly(RELEASE_BACKOFF_MS);
        }
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
