package io.flowrecon.devstack.stack;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Keeps child processes running: a child that exits (a crash, an out-of-memory kill, SIGKILL) is started again
 * after a {@link RestartPolicy} delay, and each death and restart is printed. Nothing else is touched: Kafka and
 * PostgreSQL, which the stack runs itself, stay up while a child is down. {@link #close} stops restarting and
 * stops the children, last started first.
 */
public final class Supervisor implements AutoCloseable {

    private static final long TICK_MILLIS = 200;

    private final RestartPolicy policy;
    private final PrintStream out;
    private final List<Supervised> children = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;

    public Supervisor(RestartPolicy policy, PrintStream out) {
        this.policy = policy;
        this.out = out;
        this.thread = new Thread(this::watch, "flowrecon-supervisor");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts a child now with {@code start}, and again with it whenever the child exits. */
    public synchronized Supervised supervise(String name, Supplier<ChildProcess> start) {
        if (stopping) {
            throw new IllegalStateException("the supervisor is stopping; not starting " + name);
        }
        Supervised child = new Supervised(name, start, start.get());
        children.add(child);
        return child;
    }

    private void watch() {
        try {
            while (!stopping) {
                for (Supervised child : children) {
                    child.check();
                }
                Thread.sleep(TICK_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops restarting, then stops the children (SIGTERM, then SIGKILL after {@code grace}), last started first. */
    public void stop(Duration grace) {
        synchronized (this) {
            stopping = true;
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).current().stop(grace);
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    /** One supervised child: the process running now, and how often it was restarted. */
    public final class Supervised {

        private final String name;
        private final Supplier<ChildProcess> start;
        private volatile ChildProcess current;
        private volatile int restarts;
        private Duration lastDelay;
        private long restartAtNanos = -1;

        private Supervised(String name, Supplier<ChildProcess> start, ChildProcess first) {
            this.name = name;
            this.start = start;
            this.current = first;
        }

        public String name() {
            return name;
        }

        /** The process of the current run (a dead one until its restart is due). */
        public ChildProcess current() {
            return current;
        }

        /** Restarts so far. */
        public int restarts() {
            return restarts;
        }

        private void check() {
            ChildProcess process = current;
            if (process.isAlive() || stopping) {
                return;
            }
            long now = System.nanoTime();
            if (restartAtNanos < 0) {
                Duration uptime = process.uptime();
                lastDelay = policy.delayAfter(lastDelay, uptime);
                restartAtNanos = now + lastDelay.toNanos();
                out.printf(Locale.ROOT, "flowrecon: the %s process (pid %d) exited with code %d after %d s; "
                                + "restarting it in %.1f s (log %s)%n", name, process.pid(), process.exitCode(),
                        uptime.toSeconds(), lastDelay.toMillis() / 1000.0, process.log());
                return;
            }
            if (now - restartAtNanos < 0) {
                return;
            }
            synchronized (Supervisor.this) {
                if (stopping) {
                    return;
                }
                try {
                    current = start.get();
                    restarts++;
                    restartAtNanos = -1;
                    out.printf(Locale.ROOT, "flowrecon: %s restarted (pid %d, restart %d)%n", name, current.pid(), restarts);
                } catch (RuntimeException e) {
                    // A start that fails is a death without uptime: the next try comes after a longer delay.
                    lastDelay = policy.delayAfter(lastDelay, Duration.ZERO);
                    restartAtNanos = now + lastDelay.toNanos();
                    out.printf(Locale.ROOT, "flowrecon: %s could not be restarted (%s); trying again in %.1f s%n", name,
                            e.getMessage(), lastDelay.toMillis() / 1000.0);
                }
            }
        }
    }
}
