package io.flowrecon.shared.messaging;

/** Kafka topic and group names shared by the API (producer) and the workers (share group). */
public final class Topics {

    /** Job announcements: key = job id, value = {@link JobMessage} as JSON. */
    public static final String JOBS = "flowrecon.jobs";

    /** The share group all workers join. */
    public static final String WORKER_SHARE_GROUP = "flowrecon-workers";

    private Topics() {
    }
}
