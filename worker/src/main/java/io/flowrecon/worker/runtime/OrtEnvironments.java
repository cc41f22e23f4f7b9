package io.flowrecon.worker.runtime;

import ai.onnxruntime.OrtEnvironment;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Obtains the process's {@link OrtEnvironment} on a thread with a large stack.
 *
 * <p>Why: ONNX Runtime 1.29 for Linux reads /proc/self/cmdline while it creates its environment, with a
 * recursion whose depth grows with the command line's length. A JVM started with a long {@code -cp} (a few
 * thousand characters, as a child JVM started with {@code java.class.path} has) overflows the default 1 MiB
 * thread stack and dies with SIGSEGV, without an hs_err file. Measured here: 2,000 extra characters pass,
 * 4,000 crash with the default stack; 8,000 pass with a 16 MiB stack. A 256 MiB stack (reserved, not
 * committed) covers any command line Linux allows.
 */
public final class OrtEnvironments {

    private static final long STACK_BYTES = 256L << 20;

    private OrtEnvironments() {
    }

    public static OrtEnvironment obtain() {
        AtomicReference<OrtEnvironment> environment = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                environment.set(OrtEnvironment.getEnvironment());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "ort-environment", STACK_BYTES);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting ONNX Runtime", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("ONNX Runtime could not start: " + failure.get().getMessage(), failure.get());
        }
        return environment.get();
    }
}
