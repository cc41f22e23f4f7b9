package io.flowrecon.worker.queue;

import org.apache.kafka.clients.consumer.AcknowledgeType;

/** How a processed record is acknowledged to its share group (KIP-932). */
public enum Disposition {
    /** Done (or nothing to do): never delivered again. */
    ACCEPT(AcknowledgeType.ACCEPT),
    /** A fault that may pass (database down, shutdown): deliver again, to any worker. */
    RELEASE(AcknowledgeType.RELEASE),
    /** Poison: archived, never delivered again (the job row was already marked FAILED). */
    REJECT(AcknowledgeType.REJECT);

    private final AcknowledgeType acknowledgeType;

    Disposition(AcknowledgeType acknowledgeType) {
        this.acknowledgeType = acknowledgeType;
    }

    public AcknowledgeType acknowledgeType() {
        return acknowledgeType;
    }
}
