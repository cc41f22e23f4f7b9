package io.flowrecon.worker.cli.commands;

import io.flowrecon.shared.cli.CommandLines;
import io.flowrecon.shared.cli.HelpOption;
import io.flowrecon.shared.image.CelebaFaces;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.metrics.Psnr;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.operator.Measurements;
import io.flowrecon.worker.cli.FlowreconCli;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.solve.BatchJob;
import io.flowrecon.worker.solve.BatchSolver;
import io.flowrecon.worker.solve.ProgressListener;
import io.flowrecon.worker.solve.Reconstruction;
import io.flowrecon.worker.solve.Solver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code flowrecon bench-jobs}: the engine's throughput without the service. Solves the same compressive-sensing
 * jobs (CelebA test faces, each job its own operator seed and noise seed unless {@code --shared-operator}) in
 * batches of each size B and prints one JSON line per B: wall time, jobs per minute, its ratio to the first B
 * measured, the same per CPU second of this process, the mean PSNR and the largest PSNR difference of any job
 * from its result at the first B. All figures of one run on one machine, so compare the ratios.
 */
@Command(name = "bench-jobs", sortOptions = false,
        description = "Solve the same CS jobs in batches of each size; one JSON line per batch size (jobs_per_min, "
                + "speedup, mean_psnr, max_psnr_change).")
public final class JobsBenchCommand implements Callable<Integer> {

    @ParentCommand
    FlowreconCli cli;
    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The prior's bundle folder.")
    Path model;
    @Option(names = "--faces", paramLabel = "DIR", description = "CelebA folder (default: $FLOWRECON_DATA/celeba).")
    Path faces;
    @Option(names = "--jobs", paramLabel = "N", defaultValue = "16", description = "Jobs per batch size (default ${DEFAULT-VALUE}).")
    int jobs;
    @Option(names = "--batches", paramLabel = "B", split = ",", defaultValue = "1,2,4,8,16",
            description = "Batch sizes, the first is the reference (default ${DEFAULT-VALUE}).")
    List<Integer> batches;
    @Option(names = "--m", paramLabel = "M", description = "Measurements per job (default n / 4).")
    Integer m;
    @Option(names = "--operator", paramLabel = "A", defaultValue = "gaussian",
            description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    OperatorChoice operator;
    @Option(names = "--shared-operator", description = "All jobs use operator seed 0 (the session keeps one matrix).")
    boolean sharedOperator;
    @Option(names = "--steps", paramLabel = "N", description = "Outer steps per job (default: the prior kind's).")
    Integer steps;
    @Option(names = "--threads", paramLabel = "T", defaultValue = "1", description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--line-search", paramLabel = "L",
            description = "L-BFGS: none (the paper's fixed step) or strong-wolfe (default: the prior kind's).")
    String lineSearch;

    @Override
    public Integer call() throws IOException {
        if (jobs < 1 || batches.isEmpty() || batches.stream().anyMatch(b -> b < 1)) {
            throw CommandLines.usageError(spec, "--jobs and every --batches value must be >= 1");
        }
        ModelBundle bundle = ModelBundle.read(model);
        ImageShape shape = bundle.card().imageShape();
        Path folder = faces != null ? faces : dataFolder().resolve("celeba");
        List<Image> truths = CelebaFaces.testFaces(folder, jobs);
        if (!truths.get(0).shape().equals(shape)) {
            throw CommandLines.usageError(spec, "--model makes " + shape + " images; the faces are " + truths.get(0).shape());
        }
        int m = this.m != null ? this.m : shape.size() / 4;
        SolverSettings defaults = SolverSettings.defaultsFor(bundle.card().kind());
        String search = EngineSetup.lineSearch(spec, lineSearch, defaults.lineSearch());
        SolverSettings settings = defaults.withSteps(steps != null ? steps : defaults.steps()).withLineSearch(search);
        List<Measurements> problems = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            // The paper's noise, ||eta|| = 0.1; each job its own seeds, as the jobs of a sweep have.
            Problem problem = new Problem.CompressiveSensing(m, operator.operator(), sharedOperator ? 0 : 1000 + j,
                    new Problem.Noise.GaussianNorm(0.1, 2000 + j));
            problems.add(Measurements.simulate(problem, truths.get(j).values(), shape));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ObjectiveEngine engine = EngineSetup.engine(cli.config(), threads)) {
            Solver solver = EngineSetup.solverFor(engine, bundle);
            if (!(solver instanceof BatchSolver batchSolver)) {
                throw CommandLines.usageError(spec, "--model: kind " + bundle.card().kind() + " is not solved in batches");
            }
            double[] reference = null;
            double referencePerMinute = 0;
            double referencePerCpuMinute = 0;
            for (int batch : batches) {
                warmUp(batchSolver, problems, settings, shape, batch);
                double[] psnr = new double[jobs];
                long start = System.nanoTime();
                long cpuStart = processCpuNanos();
                for (int first = 0; first < jobs; first += batch) {
                    List<BatchJob> chunk = new ArrayList<>();
                    for (int j = first; j < Math.min(jobs, first + batch); j++) {
                        chunk.add(new BatchJob(problems.get(j).operator(), problems.get(j).values(), settings, ProgressListener.NONE));
                    }
                    List<Reconstruction> results = batchSolver.solveBatch(chunk, shape);
                    for (int k = 0; k < results.size(); k++) {
                        psnr[first + k] = Psnr.compute(truths.get(first + k).values(), results.get(k).image());
                    }
                }
                double wallSeconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
                double perMinute = jobs * 60 / wallSeconds;
                double perCpuMinute = jobs * 60 / cpuSeconds;
                if (reference == null) {
                    reference = psnr;
                    referencePerMinute = perMinute;
                    referencePerCpuMinute = perCpuMinute;
                }
                double change = 0;
                double mean = 0;
                for (int j = 0; j < jobs; j++) {
                    change = Math.max(change, Math.abs(psnr[j] - reference[j]));
                    mean += psnr[j] / jobs;
                }
                out.println(String.format(Locale.ROOT,
                        "{\"model\":\"%s\",\"line_search\":\"%s\",\"m\":%d,\"operator\":\"%s\",\"shared_operator\":%s,\"steps\":%d,\"threads\":%d,"
                                + "\"batch\":%d,\"jobs\":%d,\"wall_s\":%.2f,\"jobs_per_min\":%.2f,\"speedup\":%.3f,"
                                + "\"cpu_s\":%.2f,\"jobs_per_cpu_min\":%.2f,\"cpu_speedup\":%.3f,"
                                + "\"mean_psnr\":%.3f,\"max_psnr_change\":%.4f}",
                        bundle.card().id(), settings.lineSearch(), m, operator.operator().wireName(), sharedOperator, settings.steps(), threads,
                        batch, jobs, wallSeconds, perMinute, perMinute / referencePerMinute, cpuSeconds, perCpuMinute,
                        perCpuMinute / referencePerCpuMinute, mean, change));
                out.flush();
            }
        }
        return 0;
    }

    /** One short solve at this batch size first, so that composing and opening its session is not timed. */
    private static void warmUp(BatchSolver solver, List<Measurements> problems, SolverSettings settings, ImageShape shape,
                               int batch) {
        SolverSettings oneStep = settings.withSteps(1);
        List<BatchJob> chunk = new ArrayList<>();
        for (int j = 0; j < batch; j++) {
            Measurements p = problems.get(j % problems.size());
            chunk.add(new BatchJob(p.operator(), p.values(), oneStep, ProgressListener.NONE));
        }
        solver.solveBatch(chunk, shape);
    }

    /**
     * CPU time of this process: on a shared, loaded host the wall clock measures the other tenants as much as
     * this solve, while CPU seconds per job do not (with one intra-op thread ONNX Runtime computes on the calling
     * thread, so the process's CPU time is the solve's work plus GC and JIT).
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** FLOWRECON_DATA, else the team's data folder beside the repository. */
    private Path dataFolder() {
        String configured = cli.environment().get("FLOWRECON_DATA");
        return Path.of(configured == null || configured.isBlank() ? "../shared/data" : configured);
    }
}
