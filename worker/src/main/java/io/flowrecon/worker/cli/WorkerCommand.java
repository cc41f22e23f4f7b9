package io.flowrecon.worker.cli;

import io.flowrecon.worker.app.Worker;
import io.flowrecon.worker.app.WorkerConfig;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code flowrecon worker}: runs the worker service until SIGTERM (or Ctrl-C). */
final class WorkerCommand implements Command {

    @Override
    public String summary() {
        return "run the worker service (configured by FLOWRECON_* environment variables)";
    }

    @Override
    public int run(List<String> args, Map<String, String> env) throws InterruptedException {
        if (!args.isEmpty()) {
            System.err.println("worker takes no arguments; configure it with FLOWRECON_* environment variables");
            return 2;
        }
        Worker worker = new Worker(WorkerConfig.fromEnvironment(env)).start();
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and SIGINT run shutdown hooks: stop taking work, release the running job, close.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stopped.countDown();
        }, "flowrecon-shutdown"));
        stopped.await();
        return 0;
    }
}
