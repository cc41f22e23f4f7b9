package io.flowrecon.worker.job;

import io.flowrecon.worker.solve.BatchJob;
import io.flowrecon.worker.solve.BatchSolver;
import io.flowrecon.worker.solve.Reconstruction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Solves claimed jobs, compatible ones together: jobs of one model (id and hash), one image shape and one
 * {@link BatchSolver#batchKey} form a batch solved by the first job's solver; the rest are solved alone. When a
 * batch fails as a whole, its jobs are solved again one by one, so that one bad job does not fail its company.
 */
final class JobBatches {

    private static final Logger LOG = LoggerFactory.getLogger(JobBatches.class);

    /**
     * A job's solve: its reconstruction, or the failure of its (lone) solve.
     *
     * @param wallMillis wall time of the solve it was part of (the batch's, when batched)
     * @param batchSize  how many jobs that solve held (1 alone)
     */
    record Solved(Reconstruction reconstruction, RuntimeException failure, long wallMillis, int batchSize) {
    }

    /** One outcome per job, in order. */
    List<Solved> solve(List<ClaimedJob> jobs, BooleanSupplier shuttingDown) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            groups.computeIfAbsent(groupKey(jobs.get(i), i), k -> new ArrayList<>()).add(i);
        }
        Solved[] out = new Solved[jobs.size()];
        for (List<Integer> group : groups.values()) {
            if (group.size() == 1) {
                out[group.get(0)] = alone(jobs.get(group.get(0)));
                continue;
            }
            List<ClaimedJob> members = new ArrayList<>();
            group.forEach(i -> members.add(jobs.get(i)));
            List<Solved> batched = batch(members, shuttingDown);
            for (int k = 0; k < group.size(); k++) {
                out[group.get(k)] = batched.get(k);
            }
        }
        return List.of(out);
    }

    private static String groupKey(ClaimedJob job, int index) {
        if (!(job.solver() instanceof BatchSolver solver)) {
            return "alone:" + index;
        }
        return job.model().id() + ":" + job.model().sha256() + ":" + job.problem().shape() + ":"
                + solver.batchKey(job.problem().operator(), job.spec().solver());
    }

    private static List<Solved> batch(List<ClaimedJob> members, BooleanSupplier shuttingDown) {
        BatchSolver solver = (BatchSolver) members.get(0).solver();
        List<BatchJob> batch = new ArrayList<>();
        for (ClaimedJob job : members) {
            batch.add(new BatchJob(job.problem().operator(), job.problem().measurements(), job.spec().solver(), job.recorder()));
        }
        long start = System.nanoTime();
        try {
            List<Reconstruction> results = solver.solveBatch(batch, members.get(0).problem().shape());
            long wallMillis = (System.nanoTime() - start) / 1_000_000L;
            List<Solved> out = new ArrayList<>();
            for (Reconstruction r : results) {
                out.add(new Solved(r, null, wallMillis, results.size()));
            }
            return out;
        } catch (RuntimeException e) {
            if (shuttingDown.getAsBoolean()) {
                List<Solved> out = new ArrayList<>();
                members.forEach(job -> out.add(new Solved(null, e, 0, members.size())));
                return out;
            }
            LOG.warn("a batch of {} jobs failed ({}); solving them one by one", members.size(), e.toString());
            List<Solved> out = new ArrayList<>();
            members.forEach(job -> out.add(alone(job)));
            return out;
        } finally {
            members.forEach(job -> job.recorder().flush());
        }
    }

    private static Solved alone(ClaimedJob job) {
        ProblemInstance problem = job.problem();
        long start = System.nanoTime();
        try {
            Reconstruction r = job.solver().solve(problem.operator(), problem.measurements(), problem.shape(),
                    job.spec().solver(), job.recorder());
            return new Solved(r, null, (System.nanoTime() - start) / 1_000_000L, 1);
        } catch (RuntimeException e) {
            return new Solved(null, e, (System.nanoTime() - start) / 1_000_000L, 1);
        } finally {
            job.recorder().flush();
        }
    }
}
