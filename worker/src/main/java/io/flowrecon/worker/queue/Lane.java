package io.flowrecon.worker.queue;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * One topic of jobs read through its own share consumer (interactive jobs, or sweep jobs), one
 * record at a time. Used on the consumer thread only.
 *
 * <p>Why a lane keeps track of "fetching": in the 4.4 client a poll that finds no record leaves
 * the network thread fetching until the broker hands it one, whether or not the application polls
 * again. While a job of the other lane runs, such a record sits in this consumer's buffer with its
 * acquisition lock running. {@link #tend} takes it out of the buffer, keeps its lock renewed and
 * holds it as the lane's next record; it never polls a lane that is not fetching already, so a
 * lane takes at most one record that waits. The lock of a record found in the buffer started no
 * earlier than the previous poll of its lane (the fetch that acquired it was answered after that
 * poll found the buffer empty), which is the start {@link HeldRecord} renews from.
 */
final class Lane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

    private final String name;
    private final String topic;
    private final ShareConsumer<String, String> consumer;
    /** True when the last poll returned nothing: the network thread may acquire a record at any time. */
    private boolean fetching;
    private long lastPollNanos;
    /** A record taken while another lane's job ran, renewed until this lane's turn. */
    private HeldRecord waiting;

    Lane(String name, String topic, ShareConsumer<String, String> consumer) {
        this.name = name;
        this.topic = topic;
        this.consumer = consumer;
    }

    void subscribe() {
        consumer.subscribe(List.of(topic));
    }

    String name() {
        return name;
    }

    /** Whether a poll would return at once a record the broker already handed this consumer. */
    boolean fetching() {
        return fetching;
    }

    /**
     * The lane's next record: the one that waits, else what one poll of at most {@code timeout}
     * returns; null when there is none.
     */
    HeldRecord take(Duration timeout) {
        if (waiting != null) {
            HeldRecord next = waiting;
            waiting = null;
            return next;
        }
        long pollNanos = System.nanoTime();
        long acquiredNoEarlierThan = fetching ? lastPollNanos : pollNanos;
        HeldRecord taken = null;
        for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
            if (taken == null) {
                taken = new HeldRecord(consumer, record, acquiredNoEarlierThan);
            } else {
                // max.poll.records is 1; should the broker send more, another worker may take them now.
                LOG.warn("{} lane: released offset {} that came with offset {}", name, record.offset(),
                        taken.offset());
                consumer.acknowledge(record, AcknowledgeType.RELEASE);
            }
        }
        fetching = taken == null;
        lastPollNanos = pollNanos;
        return taken;
    }

    /**
     * While another lane's job runs: renews the waiting record's lock, or takes a record that the
     * background fetch acquired. Starts no fetch of its own.
     */
    void tend() {
        if (waiting != null) {
            renew(waiting);
            if (waiting.lost()) {
                waiting = null;
            }
        } else if (fetching) {
            waiting = take(Duration.ZERO);
        }
    }

    /** Renews a record of this lane; a renewal that failed may have left the consumer fetching. */
    void renew(HeldRecord held) {
        long before = System.nanoTime();
        boolean wasLost = held.lost();
        held.renewIfDue();
        if (held.lost() && !wasLost) {
            fetching = true;
            lastPollNanos = before;
        }
    }

    /** Releases the waiting record, if any, for any worker to take (this one cannot run it now). */
    void releaseWaiting() {
        if (waiting != null) {
            waiting.acknowledge(Disposition.RELEASE);
            waiting = null;
        }
    }

    /** Hands a record back to the lane as its next one (its turn did not come: an interactive job went first). */
    void putBack(HeldRecord held) {
        if (waiting != null) {
            throw new IllegalStateException(name + " lane already holds offset " + waiting.offset());
        }
        waiting = held;
    }

    /** Releases the waiting record, if any, and closes the consumer (which releases what it still holds). */
    @Override
    public void close() {
        releaseWaiting();
        consumer.close(Duration.ofSeconds(10));
    }
}
