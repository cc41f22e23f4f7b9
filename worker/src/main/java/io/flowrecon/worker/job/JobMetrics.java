package io.flowrecon.worker.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.atomic.AtomicInteger;

/** The worker's job meters, exported on /q/metrics. */
public final class JobMetrics {

    private final Counter succeeded;
    private final Counter failed;
    private final Counter released;
    private final Counter skipped;
    private final Timer solveTime;
    private final AtomicInteger inFlight = new AtomicInteger();

    public JobMetrics(MeterRegistry registry) {
        succeeded = Counter.builder("flowrecon.jobs.processed").tag("outcome", "succeeded")
                .description("Jobs this worker finished with a result").register(registry);
        skipped = Counter.builder("flowrecon.jobs.processed").tag("outcome", "skipped")
                .description("Deliveries that needed no work (job already ended, cancelled or taken over)").register(registry);
        released = Counter.builder("flowrecon.jobs.processed").tag("outcome", "released")
                .description("Deliveries handed back for a retry (transient fault or shutdown)").register(registry);
        failed = Counter.builder("flowrecon.jobs.failed")
                .description("Deliveries rejected as poison (their job, if any, marked FAILED)").register(registry);
        solveTime = Timer.builder("flowrecon.solve.time")
                .description("Wall time of solves that returned").register(registry);
        Gauge.builder("flowrecon.jobs.in.flight", inFlight, AtomicInteger::get)
                .description("Jobs being processed now").register(registry);
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void ended() {
        inFlight.decrementAndGet();
    }

    void succeeded() {
        succeeded.increment();
    }

    void failed() {
        failed.increment();
    }

    void released() {
        released.increment();
    }

    void skipped() {
        skipped.increment();
    }

    void solved(long wallMillis) {
        solveTime.record(java.time.Duration.ofMillis(wallMillis));
    }

    public double succeededCount() {
        return succeeded.count();
    }

    public double failedCount() {
        return failed.count();
    }

    /** Deliveries that needed no work: the job had ended, was cancelled, or was taken over. */
    public double skippedCount() {
        return skipped.count();
    }

    public double releasedCount() {
        return released.count();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
