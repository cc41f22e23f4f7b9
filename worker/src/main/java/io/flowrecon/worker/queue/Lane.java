package io.flowrecon.worker.queue;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One topic of jobs read through its own share consumer (interactive jobs, or sweep jobs), up to
 * {@code maxRecords} records per turn (the consumer's max.poll.records). Used on the consumer thread only.
 *
 * <p>Why a lane keeps track of "fetching": in the 4.4 client a poll that finds no record leaves
 * the network thread fetching until the broker hands it one, whether or not the application polls
 * again. While a job of the other lane runs, such a record sits in this consumer's buffer with its
 * acquisition lock running. {@link #tend} takes it out of the buffer, keeps its lock renewed and
 * holds it as the lane's next record; it never polls a lane that is not fetching already, so a
 * lane takes at most one turn's records that wait. The lock of a record found in the buffer started no
 * earlier than the previous poll of its lane (the fetch that acquired it was answered after that
 * poll found the buffer empty), which is the start {@link HeldRecord} renews from.
 */
final class Lane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

    private final String name;
    private final String topic;
    private final ShareConsumer<String, String> consumer;
    private final int maxRecords;
    /** True when the last poll returned nothing: the network thread may acquire records at any time. */
    private boolean fetching;
    private long lastPollNanos;
    /** Records taken while another lane's job ran, renewed until this lane's turn. */
    private List<HeldRecord> waiting = List.of();

    /** @param maxRecords the most records one turn takes; the consumer's max.poll.records */
    Lane(String name, String topic, ShareConsumer<String, String> consumer, int maxRecords) {
        this.name = name;
        this.topic = topic;
        this.consumer = consumer;
        this.maxRecords = maxRecords;
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
     * The lane's next records: those that wait, else what one poll of at most {@code timeout}
     * returns; empty when there are none.
     */
    List<HeldRecord> take(Duration timeout) {
        if (!waiting.isEmpty()) {
            List<HeldRecord> next = waiting;
            waiting = List.of();
            return next;
        }
        long pollNanos = System.nanoTime();
        long acquiredNoEarlierThan = fetching ? lastPollNanos : pollNanos;
        List<HeldRecord> taken = new ArrayList<>();
        for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
            if (taken.size() < maxRecords) {
                taken.add(new HeldRecord(consumer, record, acquiredNoEarlierThan));
            } else {
                // max.poll.records bounds a poll; should the broker send more, another worker may take them now.
                LOG.warn("{} lane: released offset {} beyond the {} records of a turn", name, record.offset(), maxRecords);
                consumer.acknowledge(record, AcknowledgeType.RELEASE);
            }
        }
        fetching = taken.isEmpty();
        lastPollNanos = pollNanos;
        return taken;
    }

    /**
     * While another lane's job runs: renews the waiting records' locks, or takes records that the
     * background fetch acquired. Starts no fetch of its own.
     */
    void tend() {
        if (!waiting.isEmpty()) {
            renew(waiting);
            waiting = waiting.stream().filter(held -> !held.lost()).toList();
        } else if (fetching) {
            waiting = take(Duration.ZERO);
        }
    }

    /**
     * Renews the records of one turn of this lane together ({@link HeldRecord#renewTogetherIfDue}); a renewal
     * that failed may have left the consumer fetching.
     */
    void renew(List<HeldRecord> turn) {
        long before = System.nanoTime();
        long wasLost = turn.stream().filter(HeldRecord::lost).count();
        HeldRecord.renewTogetherIfDue(turn);
        if (turn.stream().filter(HeldRecord::lost).count() > wasLost) {
            fetching = true;
            lastPollNanos = before;
        }
    }

    /** Releases the waiting records, if any, for any worker to take (this one cannot run them now). */
    void releaseWaiting() {
        for (HeldRecord held : waiting) {
            held.acknowledge(Disposition.RELEASE);
        }
        waiting = List.of();
    }

    /** Hands records back to the lane as its next ones (their turn did not come: an interactive job went first). */
    void putBack(List<HeldRecord> held) {
        if (!waiting.isEmpty()) {
            throw new IllegalStateException(name + " lane already holds offset " + waiting.get(0).offset());
        }
        waiting = List.copyOf(held);
    }

    /** Releases the waiting records, if any, and closes the consumer (which releases what it still holds). */
    @Override
    public void close() {
        releaseWaiting();
        consumer.close(Duration.ofSeconds(10));
    }
}
