package io.flowrecon.worker.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.shared.job.StoredSpecs;
import io.flowrecon.shared.metrics.Psnr;
import io.flowrecon.shared.metrics.Ssim;
import io.flowrecon.worker.solve.Reconstruction;
import io.flowrecon.worker.store.ModelRecord;
import io.flowrecon.worker.store.ResultRow;
import io.flowrecon.worker.store.StoredJob;
import java.util.UUID;

/** Turns a solved job into its result row: the delivered PNG, its metrics, and the provenance that reproduces it. */
final class ResultRows {

    private final String workerId;
    private final String executionProvider;
    private final ObjectMapper json;

    ResultRows(String workerId, String executionProvider, ObjectMapper json) {
        this.workerId = workerId;
        this.executionProvider = executionProvider;
        this.json = json;
    }

    /**
     * The result row of a solved job.
     *
     * @param wallMillis wall time of its solve (the batch's, when batched)
     * @param batchSize  how many jobs that solve held (1 alone), kept in the provenance
     */
    ResultRow of(ClaimedJob job, Reconstruction r, long wallMillis, int batchSize) {
        UUID jobId = job.jobId();
        int attempt = job.attempt();
        JobSpec spec = job.spec();
        StoredJob stored = job.stored();
        ModelRecord model = job.model();
        ProblemInstance problem = job.problem();
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
                provenance(spec, stored, model, problem, attempt, batchSize));
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
    private String provenance(JobSpec spec, StoredJob stored, ModelRecord model, ProblemInstance problem, int attempt,
                              int batchSize) {
        ObjectNode root = json.createObjectNode();
        root.set("spec", StoredSpecs.node(spec, problem.shape()));
        root.put("operator", problem.operator().describe());
        ObjectNode modelNode = root.putObject("model");
        modelNode.put("id", model.id()).put("kind", model.kind()).put("sha256", model.sha256());
        root.put("inputs", stored.truthPng() != null ? "truth"
                : stored.measurementPng() != null ? "measurement-image" : "measurement-values");
        root.put("metricsOn", "the 8-bit reconstruction PNG against the decoded truth, data range 1");
        root.put("attempt", attempt);
        root.put("batchSize", batchSize);
        root.put("workerId", workerId);
        root.put("workerVersion", WorkerVersion.get());
        root.put("executionProvider", executionProvider);
        root.put("javaVersion", System.getProperty("java.version"));
        root.put("javaVendor", System.getProperty("java.vendor"));
        root.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return root.toString();
    }
}
