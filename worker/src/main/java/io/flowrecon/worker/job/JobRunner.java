package io.flowrecon.worker.job;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.shared.image.ImageFormatException;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.shared.job.StoredSpecs;
import io.flowrecon.shared.messaging.JobMessage;
import io.flowrecon.worker.queue.Disposition;
import io.flowrecon.worker.queue.RecordHandler;
import io.flowrecon.worker.solve.Reconstruction;
import io.flowrecon.worker.solve.Solver;
import io.flowrecon.worker.solve.SolverRegistry;
import io.flowrecon.worker.store.ClaimResult;
import io.flowrecon.worker.store.DbFaults;
import io.flowrecon.worker.store.JobStore;
import io.flowrecon.worker.store.ModelRecord;
import io.flowrecon.worker.store.ProgressStore;
import io.flowrecon.worker.store.ResultStore;
import io.flowrecon.worker.store.StoredJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Runs one delivered job from its message to its committed result (docs/ARCHITECTURE.md, "A job's
 * path", step 4), and says how the record is to be acknowledged:
 * <ul>
 *     <li>ACCEPT: the result is committed, or there was nothing to do (the job already
 *     ended, was cancelled, or another worker took it over);</li>
 *     <li>RELEASE: a fault that may pass (the database is unreachable) or a shutdown;</li>
 *     <li>REJECT: poison (unreadable message, no job row, bad spec or inputs, no solver for
 *     the model, a solver error); the job is marked FAILED with the reason first.</li>
 * </ul>
 */
public final class JobRunner implements RecordHandler {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    static final int PSNR_EVERY = 10;
    static final long PROGRESS_FLUSH_MILLIS = 200;

    private final String workerId;
    /** Claims of one job before it is failed; one below the broker's default delivery limit of 5. */
    static final int MAX_ATTEMPTS = 4;

    private final String executionProvider;
    private final JobStore jobs;
    private final ProgressStore progress;
    private final ResultStore results;
    private final SolverRegistry solvers;
    private final JobMetrics metrics;
    private final ObjectMapper json;
    private final ProblemInstances problems;
    private final ResultRows resultRows;
    private final JobBatches batches;

    public JobRunner(String workerId, String executionProvider, JobStore jobs, ProgressStore progress,
                     ResultStore results, SolverRegistry solvers, JobMetrics metrics) {
        this.workerId = workerId;
        this.executionProvider = executionProvider;
        this.jobs = jobs;
        this.progress = progress;
        this.results = results;
        this.solvers = solvers;
        this.metrics = metrics;
        // A newer relay may add fields to the message; they must not turn jobs into poison.
        this.json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.problems = new ProblemInstances();
        this.resultRows = new ResultRows(workerId, executionProvider, json);
        this.batches = new JobBatches();
    }

    @Override
    public Disposition handle(String key, String value, BooleanSupplier shuttingDown) {
        return handleAll(List.of(new Delivery(key, value)), shuttingDown).get(0);
    }

    /**
     * Runs several delivered records. Each is claimed, read and checked as it would be alone; the claimed jobs a
     * batch solver can solve together (same model, image shape and {@link io.flowrecon.worker.solve.BatchSolver#batchKey})
     * are solved as one batch ({@link JobBatches}); results, progress and dispositions stay per job.
     *
     * @return one disposition per delivery, in order
     */
    @Override
    public List<Disposition> handleAll(List<Delivery> deliveries, BooleanSupplier shuttingDown) {
        Disposition[] dispositions = new Disposition[deliveries.size()];
        List<ClaimedJob> claimed = new ArrayList<>();
        List<Integer> claimedAt = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            metrics.started();
            Delivery delivery = deliveries.get(i);
            UUID jobId;
            try {
                jobId = jobIdOf(delivery.key(), delivery.value());
            } catch (PoisonJobException e) {
                dispositions[i] = failUnclaimed(delivery.key(), e.getMessage());
                continue;
            }
            Object prepared = guarded(jobId, shuttingDown, () -> claim(jobId, shuttingDown));
            if (prepared instanceof ClaimedJob job) {
                claimed.add(job);
                claimedAt.add(i);
            } else {
                dispositions[i] = (Disposition) prepared;
            }
        }
        List<JobBatches.Solved> solved = claimed.isEmpty() ? List.of() : batches.solve(claimed, shuttingDown);
        for (int k = 0; k < claimed.size(); k++) {
            ClaimedJob job = claimed.get(k);
            JobBatches.Solved outcome = solved.get(k);
            dispositions[claimedAt.get(k)] = (Disposition) guarded(job.jobId(), shuttingDown, () -> finish(job, outcome, shuttingDown));
        }
        for (Disposition disposition : dispositions) {
            switch (disposition) {
                case RELEASE -> metrics.released();
                case REJECT -> metrics.failed();
                case ACCEPT -> {
                    // counted where the cause is known
                }
            }
            metrics.ended();
        }
        return List.of(dispositions);
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws Exception;
    }

    /** Runs one step of a claimed job, turning its faults into the job's disposition. */
    private <T> Object guarded(UUID jobId, BooleanSupplier shuttingDown, Step<T> step) {
        try {
            return step.run();
        } catch (PoisonJobException e) {
            return fail(jobId, e.getMessage());
        } catch (Exception e) {
            if (DbFaults.isTransient(e)) {
                LOG.warn("job {}: database unreachable ({}); releasing it for a retry", jobId, e.toString());
                return Disposition.RELEASE;
            }
            if (shuttingDown.getAsBoolean()) {
                return Disposition.RELEASE;
            }
            LOG.error("job {}: failed", jobId, e);
            return fail(jobId, "worker error: " + e);
        }
    }

    /** Claims the job and reads what its solve needs: a {@link ClaimedJob}, or the disposition when there is nothing to solve. */
    private Object claim(UUID jobId, BooleanSupplier shuttingDown) throws Exception {
        ClaimResult claim = jobs.claim(jobId, workerId);
        if (claim instanceof ClaimResult.AlreadyTerminal terminal) {
            LOG.info("job {}: already {}, nothing to do", jobId, terminal.status());
            metrics.skipped();
            return Disposition.ACCEPT;
        }
        if (!(claim instanceof ClaimResult.Claimed claimed)) {
            LOG.warn("job {}: no such job row; rejecting its message", jobId);
            return Disposition.REJECT;
        }
        int attempt = claimed.attempts();
        if (attempt > MAX_ATTEMPTS) {
            // The broker archives a record after its delivery limit (group.share.delivery.count.limit,
            // 5 by default); a job whose attempts keep dying would then stay RUNNING for ever. Fail it
            // on the last delivery instead, with a reason the user can act on.
            return fail(jobId, "abandoned: " + MAX_ATTEMPTS + " attempts ended without a result "
                    + "(worker crashes, lost record locks or shutdowns); resubmit to try again");
        }
        if (attempt > 1) {
            progress.clear(jobId);
        }
        StoredJob stored = jobs.load(jobId).orElseThrow(() -> new PoisonJobException("job row vanished"));
        JobSpec spec;
        try {
            spec = StoredSpecs.read(stored.specJson());
        } catch (IllegalArgumentException e) {
            throw new PoisonJobException("spec: " + e.getMessage(), e);
        }
        ModelRecord model = jobs.model(stored.modelId())
                .orElseThrow(() -> new PoisonJobException("model: no registered model '" + stored.modelId() + "'"));
        ProblemInstance problem;
        try {
            problem = problems.build(spec, stored);
        } catch (ImageFormatException | IllegalArgumentException e) {
            throw new PoisonJobException("inputs: " + e.getMessage(), e);
        }
        Solver solver = solvers.solverFor(model).orElseThrow(() -> new PoisonJobException("model " + model.id()
                + " has kind '" + model.kind() + "', which this worker has no solver for (it serves: "
                + String.join(", ", solvers.kinds()) + ")"));
        ProgressRecorder recorder = new ProgressRecorder(jobId, workerId, progress, jobs, problem.truth(),
                PSNR_EVERY, PROGRESS_FLUSH_MILLIS, shuttingDown);
        return new ClaimedJob(jobId, attempt, spec, stored, model, problem, solver, recorder);
    }

    /** After the solve: release on shutdown, drop when the job was taken away, else commit the result. */
    private Disposition finish(ClaimedJob job, JobBatches.Solved outcome, BooleanSupplier shuttingDown) throws Exception {
        UUID jobId = job.jobId();
        if (outcome.failure() != null) {
            if (shuttingDown.getAsBoolean()) {
                return Disposition.RELEASE;
            }
            RuntimeException e = outcome.failure();
            LOG.warn("job {}: solver failed", jobId, e);
            throw new PoisonJobException("solver: " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        Reconstruction reconstruction = outcome.reconstruction();
        metrics.solved(outcome.wallMillis());
        if (shuttingDown.getAsBoolean()) {
            LOG.info("job {}: stopped by shutdown after {} iterations; releasing it", jobId, reconstruction.iterations());
            return Disposition.RELEASE;
        }
        if (job.recorder().lostOwnership() || !jobs.stillOwned(jobId, workerId, job.attempt())) {
            LOG.info("job {}: cancelled or taken over while running; dropping this attempt", jobId);
            metrics.skipped();
            return Disposition.ACCEPT;
        }
        if (results.commit(resultRows.of(job, reconstruction, outcome.wallMillis(), outcome.batchSize()))) {
            metrics.succeeded();
        } else {
            LOG.info("job {}: cancelled or taken over before its result was written; dropped", jobId);
            metrics.skipped();
        }
        return Disposition.ACCEPT;
    }

    private UUID jobIdOf(String key, String value) throws PoisonJobException {
        JobMessage message;
        try {
            message = json.readValue(value == null ? "" : value, JobMessage.class);
        } catch (Exception e) {
            throw new PoisonJobException("unreadable job message: " + e.getMessage(), e);
        }
        if (message == null || message.jobId() == null) {
            throw new PoisonJobException("job message has no jobId");
        }
        try {
            return UUID.fromString(message.jobId());
        } catch (IllegalArgumentException e) {
            throw new PoisonJobException("job message jobId is not a UUID: '" + message.jobId() + "'", e);
        }
    }

    /** A message that names no readable job: fail the job its key names, if any, and reject. */
    private Disposition failUnclaimed(String key, String reason) {
        LOG.warn("rejecting record with key {}: {}", key, reason);
        try {
            if (key != null) {
                jobs.markFailed(UUID.fromString(key), null, reason);
            }
        } catch (IllegalArgumentException notAJobId) {
            // nothing to mark
        } catch (SQLException e) {
            if (DbFaults.isTransient(e)) {
                return Disposition.RELEASE;
            }
            LOG.warn("could not mark job {} FAILED: {}", key, e.toString());
        }
        return Disposition.REJECT;
    }

    private Disposition fail(UUID jobId, String reason) {
        LOG.warn("job {}: FAILED: {}", jobId, reason);
        try {
            jobs.markFailed(jobId, workerId, reason);
            return Disposition.REJECT;
        } catch (SQLException e) {
            // The job stays RUNNING; a redelivery retries it (and fails it again, bounded by the delivery limit).
            return DbFaults.isTransient(e) ? Disposition.RELEASE : Disposition.REJECT;
        }
    }
}
