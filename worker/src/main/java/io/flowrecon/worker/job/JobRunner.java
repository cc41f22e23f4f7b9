package io.flowrecon.worker.job;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.ImageFormatException;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.shared.job.StoredSpecs;
import io.flowrecon.shared.messaging.JobMessage;
import io.flowrecon.shared.metrics.Psnr;
import io.flowrecon.shared.metrics.Ssim;
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
import io.flowrecon.worker.store.ResultRow;
import io.flowrecon.worker.store.ResultStore;
import io.flowrecon.worker.store.StoredJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
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
    }

    @Override
    public Disposition handle(String key, String value, BooleanSupplier shuttingDown) {
        metrics.started();
        try {
            Disposition disposition = run(key, value, shuttingDown);
            switch (disposition) {
                case RELEASE -> metrics.released();
                case REJECT -> metrics.failed();
                case ACCEPT -> {
                    // counted where the cause is known
                }
            }
            return disposition;
        } finally {
            metrics.ended();
        }
    }

    private Disposition run(String key, String value, BooleanSupplier shuttingDown) {
        UUID jobId;
        try {
            jobId = jobIdOf(key, value);
        } catch (PoisonJobException e) {
            return failUnclaimed(key, e.getMessage());
        }
        try {
            ClaimResult claim = jobs.claim(jobId, workerId);
            if (claim instanceof ClaimResult.Claimed claimed) {
                return runClaimed(jobId, claimed.attempts(), shuttingDown);
            }
            if (claim instanceof ClaimResult.AlreadyTerminal terminal) {
                LOG.info("job {}: already {}, nothing to do", jobId, terminal.status());
                metrics.skipped();
                return Disposition.ACCEPT;
            }
            LOG.warn("job {}: no such job row; rejecting its message", jobId);
            return Disposition.REJECT;
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

    private Disposition runClaimed(UUID jobId, int attempt, BooleanSupplier shuttingDown) throws Exception {
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
        long start = System.nanoTime();
        Reconstruction reconstruction;
        try {
            reconstruction = solver.solve(problem.operator(), problem.measurements(), problem.shape(), spec.solver(), recorder);
        } catch (RuntimeException e) {
            if (shuttingDown.getAsBoolean()) {
                return Disposition.RELEASE;
            }
            LOG.warn("job {}: solver failed", jobId, e);
            throw new PoisonJobException("solver: " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        } finally {
            recorder.flush();
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000L;
        metrics.solved(wallMillis);

        if (shuttingDown.getAsBoolean()) {
            LOG.info("job {}: stopped by shutdown after {} iterations; releasing it", jobId, reconstruction.iterations());
            return Disposition.RELEASE;
        }
        if (recorder.lostOwnership() || !jobs.stillOwned(jobId, workerId, attempt)) {
            LOG.info("job {}: cancelled or taken over while running; dropping this attempt", jobId);
            metrics.skipped();
            return Disposition.ACCEPT;
        }
        if (results.commit(resultRow(jobId, attempt, spec, stored, model, problem, reconstruction, wallMillis))) {
            metrics.succeeded();
        } else {
            LOG.info("job {}: cancelled or taken over before its result was written; dropped", jobId);
            metrics.skipped();
        }
        return Disposition.ACCEPT;
    }

    private ResultRow resultRow(UUID jobId, int attempt, JobSpec spec, StoredJob stored, ModelRecord model,
                                ProblemInstance problem, Reconstruction r, long wallMillis) {
        // Metrics are computed on the 8-bit reconstruction the user downloads, so that the PSNR we report
        // is the PSNR anyone recomputes from GET .../image?kind=reconstruction against their upload.
        byte[] reconstructionPng = Png.encode(new Image(problem.shape(), r.image()));
        Image delivered = Png.decode(reconstructionPng);
        Double psnr = null;
        Double ssim = null;
        if (problem.truth() != null) {
            psnr = Psnr.compute(problem.truth(), delivered.values());
            Image truth = new Image(problem.shape(), problem.truth());
            if (problem.shape().height() >= 11 && problem.shape().width() >= 11) {
                ssim = Ssim.compute(truth, delivered);
            }
        }
        byte[] measurementPng = problem.measurementImage() == null ? null : Png.encode(problem.measurementImage());
        return new ResultRow(jobId, attempt, reconstructionPng, measurementPng, psnr, ssim,
                residualNorm(problem, r.image()), r.latentNorm(), r.iterations(), r.evaluations(), wallMillis,
                workerId, executionProvider, model.sha256(), r.stopReason(),
                provenance(spec, stored, model, problem, attempt));
    }

    /** ||A x_hat - y||, accumulated in double. */
    private static double residualNorm(ProblemInstance problem, float[] estimate) {
        float[] ax = new float[problem.operator().rows()];
        problem.operator().apply(estimate, ax);
        double sum = 0;
        for (int i = 0; i < ax.length; i++) {
            double d = (double) ax[i] - problem.measurements()[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /** What reproduces the result (seeds live in the spec's problem and solver), Tribuo-style. */
    private String provenance(JobSpec spec, StoredJob stored, ModelRecord model, ProblemInstance problem, int attempt) {
        ObjectNode root = json.createObjectNode();
        root.set("spec", StoredSpecs.node(spec, problem.shape()));
        root.put("operator", problem.operator().describe());
        ObjectNode modelNode = root.putObject("model");
        modelNode.put("id", model.id()).put("kind", model.kind()).put("sha256", model.sha256());
        root.put("inputs", stored.truthPng() != null ? "truth"
                : stored.measurementPng() != null ? "measurement-image" : "measurement-values");
        root.put("metricsOn", "the 8-bit reconstruction PNG against the decoded truth, data range 1");
        root.put("attempt", attempt);
        root.put("workerId", workerId);
        root.put("workerVersion", WorkerVersion.get());
        root.put("executionProvider", executionProvider);
        root.put("javaVersion", System.getProperty("java.version"));
        root.put("javaVendor", System.getProperty("java.vendor"));
        root.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return root.toString();
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
