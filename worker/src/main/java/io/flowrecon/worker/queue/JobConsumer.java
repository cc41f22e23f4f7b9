package io.flowrecon.worker.queue;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
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
 * Reads jobs from the share group one record at a time, in explicit acknowledgement mode, from two
 * lanes: the interactive job topic and the sweep topic (jobs of experiments). A sweep record is
 * started only when no interactive one waits, so an interactive job waits at most for the sweep job
 * that runs when it arrives.
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
    private final RecordHandler handler;
    private final BooleanSupplier canTakeWork;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final ExecutorService solveThread;
    private final Thread consumerThread;

    /**
     * @param topic       the interactive job topic
     * @param sweepTopic  the topic of experiment jobs, taken from only when no interactive job waits
     * @param canTakeWork checked before each poll: while false (the database is down) no record
     *                    is taken, so that an outage does not burn records' delivery attempts
     */
    public JobConsumer(String bootstrapServers, String shareGroup, String topic, String sweepTopic, String clientId,
                       Duration pollTimeout, RecordHandler handler, BooleanSupplier canTakeWork) {
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
        try (Lane interactive = lane("interactive", topic); Lane sweep = lane("sweep", sweepTopic)) {
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
        HeldRecord next = interactive.take(interactive.fetching() ? Duration.ZERO : pollTimeout);
        if (next != null) {
            run(next, interactive, sweep);
            return;
        }
        HeldRecord sweepJob = sweep.take(pollTimeout);
        if (sweepJob == null) {
            return;
        }
        HeldRecord late = interactive.take(Duration.ZERO);
        if (late != null) {
            sweep.putBack(sweepJob);
            run(late, interactive, sweep);
        } else {
            run(sweepJob, sweep, interactive);
        }
    }

    private void run(HeldRecord held, Lane lane, Lane other) {
        if (stopping.get()) {
            held.acknowledge(Disposition.RELEASE);
            return;
        }
        Future<Disposition> job = solveThread.submit(() -> handler.handle(held.key(), held.value(), stopping::get));
        Disposition disposition;
        while (true) {
            try {
                disposition = job.get(Math.max(1, Math.min(WAIT_SLICE_MS, held.untilRenewalMs())), TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException stillRunning) {
                lane.renew(held);
                other.tend();
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
        LOG.debug("{} lane: offset {} {}", lane.name(), held.offset(), disposition);
        if (disposition == Disposition.RELEASE && !stopping.get()) {
            // A fault that may pass (the database is down): do not spin through the record's delivery attempts.
            sleepQuietly(RELEASE_BACKOFF_MS);
        }
    }

    private Lane lane(String name, String laneTopic) {
        Properties props = new Properties();
        props.putAll(consumerProperties);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + name);
        return new Lane(name, laneTopic, new KafkaShareConsumer<>(props));
    }

    private static Properties properties(String bootstrapServers, String shareGroup) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, shareGroup);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        // One record per fetch, per lane: a worker never holds a batch of locked sweep records.
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
