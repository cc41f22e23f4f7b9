package io.flowrecon.systemtests;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.devstack.stack.ApiClient;
import io.flowrecon.devstack.stack.Demo;
import io.flowrecon.shared.image.Png;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

/**
 * One of the load test's users: submits its share of jobs, keeping at most {@code window} of them unfinished (it
 * polls them, as a user's script would), and retries a submission that was not accepted (an error answer, a
 * timeout, a refused connection while the API or its database restarts) until it is. Records the latency of every
 * accepted submission and the ids the API accepted.
 */
final class SubmittingClient implements Callable<SubmittingClient.Outcome> {

    /** What the client saw: accepted ids, the latency of each accepted submit, and the refused tries. */
    record Outcome(List<String> accepted, long[] submitNanos, int refusedTries) {
    }

    private static final int MAX_TRIES = 600;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiClient api;
    private final int firstJob;
    private final int jobs;
    private final int window;

    /**
     * @param firstJob the index of this client's first job; each job's seed is its index, so no two specs are
     *                 equal and none is answered from an earlier result instead of being solved
     */
    SubmittingClient(ApiClient api, int firstJob, int jobs, int window) {
        this.api = api;
        this.firstJob = firstJob;
        this.jobs = jobs;
        this.window = window;
    }

    /** A cheap job: lasso-dct compressive sensing of a 16 x 16 grey image from 64 measurements. */
    static final IntFunction<String> CHEAP_JOB = index ->
            Demo.compressiveSensingJob("lasso-dct", 64, index, Png.encode(Sweep.grey(16, index % 7)));

    @Override
    public Outcome call() throws InterruptedException {
        List<String> accepted = new ArrayList<>();
        long[] latencies = new long[jobs];
        int refused = 0;
        Deque<String> unfinished = new ArrayDeque<>();
        for (int i = 0; i < jobs; i++) {
            while (unfinished.size() >= window) {
                dropFinished(unfinished);
                if (unfinished.size() >= window) {
                    Thread.sleep(200);
                }
            }
            String body = CHEAP_JOB.apply(firstJob + i);
            for (int tries = 1; ; tries++) {
                long start = System.nanoTime();
                String id = trySubmit(body);
                if (id != null) {
                    latencies[i] = System.nanoTime() - start;
                    accepted.add(id);
                    unfinished.add(id);
                    break;
                }
                refused++;
                if (tries >= MAX_TRIES) {
                    throw new IllegalStateException("job " + (firstJob + i) + " was refused " + tries + " times");
                }
                Thread.sleep(500);
            }
        }
        return new Outcome(accepted, latencies, refused);
    }

    private String trySubmit(String body) {
        try {
            ApiClient.Answer answer = api.submitRaw(body);
            return answer.status() == 202 ? JSON.readTree(answer.body()).path("id").asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Forgets the jobs that reached a final status; one that cannot be read now is kept and asked again. */
    private void dropFinished(Deque<String> unfinished) {
        unfinished.removeIf(id -> {
            try {
                return RunningSystem.FINAL_STATUSES.contains(api.job(id).path("status").asText());
            } catch (RuntimeException e) {
                return false;
            }
        });
    }
}
