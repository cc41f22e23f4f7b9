package io.flowrecon.worker.job;

import io.flowrecon.shared.metrics.Psnr;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.store.JobStore;
import io.flowrecon.worker.store.ProgressRow;
import io.flowrecon.worker.store.ProgressStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Turns solver iterations into job_progress rows and decides when a solve must stop.
 *
 * <p>Rows are buffered and written at most every {@code flushMillis} (one round trip per
 * flush, not per iteration). At each flush the job row is checked too: once the job is no
 * longer RUNNING under this worker (a user cancelled it, or another worker took it over) the
 * solve stops. A shutdown stops it at the next iteration.
 */
final class ProgressRecorder implements ProgressListener {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressRecorder.class);

    private final UUID jobId;
    private final String workerId;
    private final ProgressStore progress;
    private final JobStore jobs;
    private final float[] truth;
    private final int psnrEvery;
    private final long flushNanos;
    private final BooleanSupplier shuttingDown;
    private final long startNanos = System.nanoTime();
    private final List<ProgressRow> pending = new ArrayList<>();
    private long lastFlushNanos = startNanos;
    private boolean lostOwnership;

    /**
     * @param truth     the ground truth (CHW, [0, 1]) to score iterations against, or null
     * @param psnrEvery score every this many iterations (and the first), since scoring asks the solver for its image
     */
    ProgressRecorder(UUID jobId, String workerId, ProgressStore progress, JobStore jobs, float[] truth,
                     int psnrEvery, long flushMillis, BooleanSupplier shuttingDown) {
        this.jobId = jobId;
        this.workerId = workerId;
        this.progress = progress;
        this.jobs = jobs;
        this.truth = truth;
        this.psnrEvery = Math.max(1, psnrEvery);
        this.flushNanos = flushMillis * 1_000_000L;
        this.shuttingDown = shuttingDown;
    }

    @Override
    public boolean onIteration(int iteration, double loss, Supplier<float[]> currentImage) {
        if (shuttingDown.getAsBoolean() || lostOwnership) {
            return false;
        }
        Double psnr = null;
        if (truth != null && (iteration == 1 || iteration % psnrEvery == 0)) {
            psnr = Psnr.compute(truth, currentImage.get());
        }
        long now = System.nanoTime();
        pending.add(new ProgressRow(iteration, loss, psnr, (now - startNanos) / 1_000_000L));
        if (now - lastFlushNanos >= flushNanos) {
            flush();
            lostOwnership = !stillOwned();
            return !lostOwnership;
        }
        return true;
    }

    /** Writes what is buffered; called by the runner when the solve returns. */
    void flush() {
        lastFlushNanos = System.nanoTime();
        if (pending.isEmpty()) {
            return;
        }
        try {
            progress.append(jobId, pending);
        } catch (Exception e) {
            // The trace is a convenience; the result write decides the job's fate.
            LOG.warn("job {}: could not write {} progress rows: {}", jobId, pending.size(), e.toString());
        }
        pending.clear();
    }

    /** True once a check found the job cancelled or owned by another worker. */
    boolean lostOwnership() {
        return lostOwnership;
    }

    private boolean stillOwned() {
        try {
            return jobs.stillOwned(jobId, workerId);
        } catch (Exception e) {
            // Unknown: keep solving; the guarded result write settles it.
            return true;
        }
    }
}
