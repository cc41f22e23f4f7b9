package io.flowrecon.worker.queue;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
 * Reads jobs from the share group in explicit acknowledgement mode, from two lanes: the interactive
 * job topic, one record at a time, and the sweep topic (jobs of experiments), up to {@code sweepBatch}
 * records at a time, handed to the job runner together ({@link RecordHandler#handleAll}) so that
 * compatible jobs are solved as one batch. Sweep records are started only when no interactive one
 * waits, so an interactive job waits at most for the sweep turn that runs when it arrives.
 *
 * <p>The Kafka share consumer is not thread-safe, so every consumer call happens on one
 * thread (this one); the job runs on a second thread, so a solve, however long and however
 * busy the cores, never holds up this one. While the job runs, this thread keeps the record's
 * acquisition lock alive ({@link HeldRecord}) and tends the other lane ({@link Lane#tend}); when
 * the job ends, the record gets its final acknowledgement, committed synchronously.
 */
public final class JobConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobConsumer.class);
    private static final long WAIT_SLICE_MS = 100;
    private static final long RELEASE_BACKOFF_MS = 2_000;

    private final Properties consumerProperties;
    private final String clientId;
    private final String topic;
    private final String sweepTopic;
    private final Duration pollTimeout;
    private final int sweepBatch;
    private final RecordHandler handler;
    private final BooleanSupplier canTakeWork;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final ExecutorService solveThread;
    private final Thread consumerThread;

    /**
     * @param topic       the interactive job topic
     * @param sweepTopic  the topic of experiment jobs, taken from only when no interactive job waits
     * @param sweepBatch  the most sweep records one turn takes and hands the handler together
     * @param canTakeWork checked before each poll: while false (the database is down) no record
     *                    is taken, so that an outage does not burn records' delivery attempts
     */
    public JobConsumer(String bootstrapServers, String shareGroup, String topic, String sweepTopic, int sweepBatch,
                       String clientId, Duration pollTimeout, RecordHandler handler, BooleanSupplier canTakeWork) {
        if (sweepBatch < 1) {
            throw new IllegalArgumentException("sweepBatch must be at least 1, got " + sweepBatch);
        }
        this.sweepBatch = sweepBatch;
        this.consumerProperties = properties(bootstrapServers, shareGroup);
        this.clientId = clientId;
        this.topic = topic;
        this.sweepTopic = sweepTopic;
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
        try (Lane interactive = lane("interactive", topic, 1); Lane sweep = lane("sweep", sweepTopic, sweepBatch)) {
            interactive.subscribe();
            sweep.subscribe();
            subscribed.set(true);
            while (!stopping.get()) {
                if (!canTakeWork.getAsBoolean()) {
                    interactive.releaseWaiting();
                    sweep.releaseWaiting();
                    sleepQuietly(pollTimeout.toMillis());
                    continue;
                }
                try {
                    takeAndRun(interactive, sweep);
                } catch (RuntimeException e) {
                    if (stopping.get()) {
                        break;
                    }
                    LOG.warn("poll loop fault, retrying in 1 s", e);
                    sleepQuietly(1_000);
                }
            }
            subscribed.set(false);
        } catch (RuntimeException | Error e) {
            LOG.error("share consumer stopped on a fault; this worker takes no more jobs", e);
            throw e;
        } finally {
            subscribed.set(false);
        }
    }

    /**
     * One turn: an interactive record if one is there, else a sweep record, checking the
     * interactive lane once more before the sweep job starts. Only the sweep poll waits the full
     * poll timeout when there is nothing to do; the interactive lane is polled without waiting
     * when its consumer is fetching already (a record the broker handed it is in its buffer), and
     * waits for one round trip to the broker when it is not (just after an interactive job).
     */
    private void takeAndRun(Lane interactive, Lane sweep) {
        List<HeldRecord> next = interactive.take(interactive.fetching() ? Duration.ZERO : pollTimeout);
        if (!next.isEmpty()) {
            run(next, interactive, sweep);
            return;
        }
        List<HeldRecord> sweepJobs = sweep.take(pollTimeout);
        if (sweepJobs.isEmpty()) {
            return;
        }
        List<HeldRecord> late = interactive.take(Duration.ZERO);
        if (!late.isEmpty()) {
            sweep.putBack(sweepJobs);
            run(late, interactive, sweep);
        } else {
            run(sweepJobs, sweep, interactive);
        }
    }

    /** Runs one turn's records together on the solve thread, renewing their locks, and acknowledges each. */
    private void run(List<HeldRecord> held, Lane lane, Lane other) {
        if (stopping.get()) {
            held.forEach(record -> record.acknowledge(Disposition.RELEASE));
            return;
        }
        List<RecordHandler.Delivery> deliveries = new ArrayList<>();
        for (HeldRecord record : held) {
            deliveries.add(new RecordHandler.Delivery(record.key(), record.value()));
            if (record.deliveryCount() > 1) {
                // a lock that ran out somewhere (a worker died or stalled, or a record waited unseen in a buffer)
                LOG.info("{} lane: offset {} (key {}) arrives on delivery {}", lane.name(), record.offset(),
                        record.key(), record.deliveryCount());
            }
        }
        Future<List<Disposition>> job = solveThread.submit(() -> handler.handleAll(deliveries, stopping::get));
        List<Disposition> dispositions;
        while (true) {
            try {
                dispositions = job.get(Math.max(1, Math.min(WAIT_SLICE_MS, untilRenewalMs(held))), TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException stillRunning) {
                lane.renew(held);
                other.tend();
            } catch (ExecutionException e) {
                LOG.error("job handler threw instead of answering; releasing the records", e.getCause());
                dispositions = Collections.nCopies(held.size(), Disposition.RELEASE);
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                dispositions = Collections.nCopies(held.size(), Disposition.RELEASE);
                break;
            }
        }
        if (dispositions.size() != held.size()) {
            LOG.error("job handler answered {} dispositions for {} records; releasing them", dispositions.size(), held.size());
            dispositions = Collections.nCopies(held.size(), Disposition.RELEASE);
        }
        for (int i = 0; i < held.size(); i++) {
            held.get(i).acknowledge(dispositions.get(i));
            LOG.debug("{} lane: offset {} {}", lane.name(), held.get(i).offset(), dispositions.get(i));
        }
        if (dispositions.contains(Disposition.RELEASE) && !stopping.get()) {
            // A fault that may pass (the database is down): do not spin through the record's delivery attempts.
            sleepQuietly(RELEASE_BACKOFF_MS);
        }
    }

    private static long untilRenewalMs(List<HeldRecord> held) {
        return held.stream().filter(record -> !record.lost()).mapToLong(HeldRecord::untilRenewalMs).min()
                .orElse(WAIT_SLICE_MS);
    }

    private Lane lane(String name, String laneTopic, int maxRecords) {
        Properties props = new Properties();
        props.putAll(consumerProperties);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + name);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxRecords);
        return new Lane(name, laneTopic, new KafkaShareConsumer<>(props), maxRecords);
    }

    private static Properties properties(String bootstrapServers, String shareGroup) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, shareGroup);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        // A fetch acquires at most max.poll.records (set per lane): a worker holds no more locked records than one turn runs.
        props.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
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
