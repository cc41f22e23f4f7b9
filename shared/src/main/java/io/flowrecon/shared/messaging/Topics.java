package io.flowrecon.shared.messaging;

/** Kafka topic and group names shared by the API (producer) and the workers (share group). */
public final class Topics {

    /** Job announcements: key = job id, value = {@link JobMessage} as JSON. */
    public static final String JOBS = "flowrecon.jobs";

    /**
     * Announcements of experiment (sweep) jobs, the same messages as {@link #JOBS}: a second topic so that
     * workers take them only when no interactive job waits.
     */
    public static final String SWEEP_JOBS = sweepOf(JOBS);

    /** The share group all workers join. */
    public static final String WORKER_SHARE_GROUP = "flowrecon-workers";

    private static final String SWEEP_SUFFIX = ".sweep";

    private Topics() {
    }

    /** The sweep topic that goes with a job topic: its name plus {@code .sweep} (itself when it is one). */
    public static String sweepOf(String jobsTopic) {
        return jobsTopic.endsWith(SWEEP_SUFFIX) ? jobsTopic : jobsTopic + SWEEP_SUFFIX;
    }
}
