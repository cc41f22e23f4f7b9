package io.flowrecon.worker.cli;

import io.flowrecon.shared.cli.HelpOption;
import io.flowrecon.worker.app.Worker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code flowrecon worker}: runs the worker service until SIGTERM (or Ctrl-C). */
@Command(name = "worker", description = "Run the worker service until SIGTERM or Ctrl-C.",
        footer = {"", "Configured by FLOWRECON_* environment variables (FLOWRECON_DB_URL and",
                "FLOWRECON_KAFKA_BOOTSTRAP_SERVERS are required); worker/README.md lists them all."})
final class WorkerCommand implements Callable<Integer> {

    @ParentCommand
    FlowreconCli cli;
    @Mixin
    HelpOption help;

    @Override
    public Integer call() throws InterruptedException {
        Worker worker = new Worker(cli.config()).start();
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
