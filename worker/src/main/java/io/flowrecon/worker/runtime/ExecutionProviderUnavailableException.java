package io.flowrecon.worker.runtime;

/** The configured execution provider is not in this ONNX Runtime build (e.g. cuda with the CPU-only jar). */
public final class ExecutionProviderUnavailableException extends RuntimeException {

    public ExecutionProviderUnavailableException(String message) {
        super(message);
    }
}
