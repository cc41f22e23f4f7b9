package io.flowrecon.worker.job;

import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.worker.solve.Solver;
import io.flowrecon.worker.store.ModelRecord;
import io.flowrecon.worker.store.StoredJob;
import java.util.UUID;

/** A job this worker has claimed and read, ready to be solved alone or with others. */
record ClaimedJob(UUID jobId, int attempt, JobSpec spec, StoredJob stored, ModelRecord model, ProblemInstance problem,
                  Solver solver, ProgressRecorder recorder) {
}
