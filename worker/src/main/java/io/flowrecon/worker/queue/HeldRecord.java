package io.flowrecon.worker.queue;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A record whose job runs now (alone, or in a turn of several), and its acquisition lock, kept alive by renewal
 * (AcknowledgeType.RENEW, KIP-1222) until the job's final acknowledgement. Used on the
 * consumer thread only, like the consumer itself.
 *
 * <p>A renewal is committed with {@code commitSync}, a ShareAcknowledge request, and the
 * renewed record is taken back with one {@code poll(0)}. It is not sent by polling, as the
 * KafkaShareConsumer javadoc's example does: in the 4.4 client a poll with a renewal pending
 * asks the network thread for more records, which then fetches, acquires and buffers the
 * next job while this one runs. That record's lock expires unseen, the broker hands it to
 * another worker, and when this worker finally polls it, the buffered copy runs a second time
 * and its acknowledgement fails (InvalidRecordStateException).
 */
final class HeldRecord {

    private static final Logger LOG = LoggerFactory.getLogger(HeldRecord.class);
    /**
     * Used when the broker has not reported the lock duration: the broker's lower bound,
     * group.share.min.record.lock.duration.ms (15 s by default). Renewing more often than
     * needed costs one small request.
     */
    static final int FALLBACK_LOCK_MS = 15_000;
    private static final long MIN_RENEW_INTERVAL_MS = 200;
    private static final long MIN_COMMIT_TIMEOUT_MS = 1_000;

    private final ShareConsumer<String, String> consumer;
    private final long lockMs;
    private ConsumerRecord<String, String> record;
    /** When the lock last started: the broker acquired or renewed it no earlier than this. */
    private long lockStartNanos;
    private boolean lost;

    /**
     * @param acquiredNoEarlierThanNanos a time before the broker acquired {@code record} (the start of
     *                                   the poll that asked for it, see {@link Lane}), so the lock runs
     *                                   out no sooner than {@code lockMs} later
     */
    HeldRecord(ShareConsumer<String, String> consumer, ConsumerRecord<String, String> record,
               long acquiredNoEarlierThanNanos) {
        this.consumer = consumer;
        this.record = record;
        this.lockStartNanos = acquiredNoEarlierThanNanos;
        this.lockMs = consumer.acquisitionLockTimeoutMs().orElse(FALLBACK_LOCK_MS);
    }

    /** A quarter of the lock: three renewals in a row can be late (a loaded host, a GC pause) before it runs out. */
    static long renewIntervalMs(long lockMs) {
        return Math.max(MIN_RENEW_INTERVAL_MS, lockMs / 4);
    }

    long lockMs() {
        return lockMs;
    }

    long offset() {
        return record.offset();
    }

    String key() {
        return record.key();
    }

    String value() {
        return record.value();
    }

    /** How many times the broker has delivered this record, this delivery included (1 for a first delivery). */
    int deliveryCount() {
        return record.deliveryCount().map(Short::intValue).orElse(1);
    }

    boolean lost() {
        return lost;
    }

    /** Milliseconds until the next renewal is due (0 when it is due now). */
    long untilRenewalMs() {
        return Math.max(0, renewIntervalMs(lockMs) - sinceLockStartMs());
    }

    /** Renews the lock if a renewal is due and the lock is still held. */
    void renewIfDue() {
        renewTogetherIfDue(List.of(this));
    }

    /**
     * Renews the locks of records taken in one turn (a batch) together, once the first is due: in explicit mode
     * the consumer refuses a poll while any record of its last poll is unacknowledged, so each record's renewal
     * cannot take its own record back alone. Every live record gets its RENEW, one commit sends them, one
     * {@code poll(0)} takes them back; a record the broker refused or that did not come back is lost (the broker
     * redelivers it; its job's guarded claim and result write keep that correct).
     */
    static void renewTogetherIfDue(List<HeldRecord> turn) {
        List<HeldRecord> live = turn.stream().filter(held -> !held.lost).toList();
        if (live.isEmpty()) {
            return;
        }
        if (live.stream().allMatch(held -> held.untilRenewalMs() > 0)) {
            return;
        }
        ShareConsumer<String, String> consumer = live.get(0).consumer;
        long sentNanos = System.nanoTime();
        long remainingMs = live.stream().mapToLong(held -> held.lockMs - held.sinceLockStartMs()).min().orElse(0);
        try {
            for (HeldRecord held : live) {
                consumer.acknowledge(held.record, AcknowledgeType.RENEW);
            }
            Map<TopicIdPartition, Optional<KafkaException>> outcome =
                    consumer.commitSync(Duration.ofMillis(Math.max(MIN_COMMIT_TIMEOUT_MS, remainingMs)));
            List<HeldRecord> renewed = new ArrayList<>();
            for (HeldRecord held : live) {
                Optional<KafkaException> error = held.errorIn(outcome);
                if (error.isPresent()) {
                    held.markLost("the broker refused the renewal: " + error.get());
                } else {
                    held.lockStartNanos = sentNanos;
                    renewed.add(held);
                }
            }
            Map<String, HeldRecord> waitingBack = new HashMap<>();
            renewed.forEach(held -> waitingBack.put(position(held.record), held));
            for (ConsumerRecord<String, String> back : consumer.poll(Duration.ZERO)) {
                HeldRecord held = waitingBack.remove(position(back));
                if (held != null) {
                    held.record = back;
                } else {
                    LOG.warn("released offset {} that arrived while a turn's records were being renewed", back.offset());
                    consumer.acknowledge(back, AcknowledgeType.RELEASE);
                }
            }
            waitingBack.values().forEach(held -> held.markLost("the renewed record did not come back from poll"));
        } catch (RuntimeException e) {
            // The jobs keep running; their guarded claims and result writes stay correct if the
            // records go to another worker meanwhile.
            live.forEach(held -> held.markLost("the renewal failed: " + e));
        }
    }

    private static String position(ConsumerRecord<String, String> r) {
        return r.topic() + "/" + r.partition() + "/" + r.offset();
    }

    private Optional<KafkaException> errorIn(Map<TopicIdPartition, Optional<KafkaException>> outcome) {
        for (var entry : outcome.entrySet()) {
            TopicIdPartition partition = entry.getKey();
            if (partition.topic().equals(record.topic()) && partition.partition() == record.partition()
                    && entry.getValue().isPresent()) {
                return entry.getValue();
            }
        }
        return Optional.empty();
    }

    /**
     * The job's last word on the record. Skipped when the lock was lost: the broker then
     * redelivers the record, and the job's guarded claim turns that delivery into a no-op.
     */
    void acknowledge(Disposition disposition) {
        if (lost) {
            LOG.warn("offset {}: lock lost before its final acknowledgement {}; the record will be redelivered",
                    record.offset(), disposition);
            return;
        }
        try {
            consumer.acknowledge(record, disposition.acknowledgeType());
            Optional<KafkaException> error = commit(Duration.ofSeconds(10));
            if (error.isPresent()) {
                LOG.warn("offset {}: acknowledgement {} failed: {}", record.offset(), disposition, error.get().toString());
            } else {
                LOG.debug("offset {}: {} committed", record.offset(), disposition);
            }
        } catch (RuntimeException e) {
            LOG.warn("offset {}: acknowledgement {} failed; the record will be redelivered", record.offset(),
                    disposition, e);
        }
    }

    /** Sends the pending acknowledgement and waits for the broker's answer for this record's partition. */
    private Optional<KafkaException> commit(Duration timeout) {
        return errorIn(consumer.commitSync(timeout));
    }

    private void markLost(String why) {
        // Stop renewing and polling: every further poll would acquire other jobs' records.
        lost = true;
        LOG.warn("offset {}: lost the acquisition lock while its job runs ({})", record.offset(), why);
    }

    private long sinceLockStartMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lockStartNanos);
    }
}
