package io.flowrecon.worker.job;

/** The worker's version, from its jar manifest; "dev" when run from classes. */
public final class WorkerVersion {

    private WorkerVersion() {
    }

    public static String get() {
        String version = JobRunner.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
