package io.flowrecon.worker.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Processes one job record. Runs on the solve thread, never on the consumer thread, and must
 * not throw: every outcome is a {@link Disposition}.
 */
@FunctionalInterface
public interface RecordHandler {

    /**
     * @param key          the record key (the job id), may be null
     * @param value        the record value (a JobMessage as JSON), may be null
     * @param shuttingDown turns true when the worker stops; the handler should then stop its
     *                     solve soon and answer {@link Disposition#RELEASE}
     */
    Disposition handle(String key, String value, BooleanSupplier shuttingDown);

    /** A held record's key and value. */
    record Delivery(String key, String value) {
    }

    /**
     * Processes records held together (a worker's batch); one disposition per record, in order. By default one
     * by one; a handler that can solve jobs together overrides it.
     */
    default List<Disposition> handleAll(List<Delivery> records, BooleanSupplier shuttingDown) {
        List<Disposition> out = new ArrayList<>();
        for (Delivery record : records) {
            out.add(handle(record.key(), record.value(), shuttingDown));
        }
        return out;
    }
}
