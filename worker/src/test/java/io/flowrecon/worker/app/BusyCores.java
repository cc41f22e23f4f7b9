package io.flowrecon.worker.app;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every core busy until closed: one spinning thread per available processor, at the
 * default priority, so that a test sees the scheduling a worker gets on a loaded host.
 */
final class BusyCores implements AutoCloseable {

    private volatile boolean running = true;
    private final List<Thread> threads = new ArrayList<>();

    static BusyCores everyCore() {
        return new BusyCores(Runtime.getRuntime().availableProcessors());
    }

    private BusyCores(int count) {
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(this::spin, "busy-core-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    int threads() {
        return threads.size();
    }

    private void spin() {
        long x = 1;
        while (running) {
            // A xorshift step: work the JIT cannot drop, no allocation, no memory traffic.
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        if (x == 0) {
            throw new AssertionError("unreachable: xorshift never reaches 0 from 1");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join();
        }
    }
}
