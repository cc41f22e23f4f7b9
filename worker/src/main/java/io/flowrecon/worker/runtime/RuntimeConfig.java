package io.flowrecon.worker.runtime;

/**
 * How ONNX Runtime sessions are made; read from the environment as part of
 * {@link io.flowrecon.worker.app.WorkerConfig}.
 *
 * @param provider            cpu or cuda
 * @param intraOpThreads      threads inside one operator (CPU); 0 lets ONNX Runtime choose (one per core)
 * @param interOpThreads      threads across independent operators; 1 = sequential execution
 * @param allowSpinning       whether idle pool threads spin; off by default because the worker shares its
 *                            cores (session.intra_op.allow_spinning / session.inter_op.allow_spinning)
 * @param cudaDeviceId        CUDA device ordinal
 * @param cudnnConvSearch     cuDNN convolution algorithm search: EXHAUSTIVE, HEURISTIC or DEFAULT
 * @param sessionCacheEntries how many compiled objectives the worker keeps open
 */
public record RuntimeConfig(ExecutionProviderKind provider, int intraOpThreads, int interOpThreads,
                            boolean allowSpinning, int cudaDeviceId, CudnnConvSearch cudnnConvSearch,
                            int sessionCacheEntries) {

    /** cuDNN's conv algorithm search modes, as the CUDA execution provider's cudnn_conv_algo_search option names them. */
    public enum CudnnConvSearch { EXHAUSTIVE, HEURISTIC, DEFAULT }

    public RuntimeConfig {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("FLOWRECON_INTRA_OP_THREADS must be >= 0 (0 = one per core), got " + intraOpThreads);
        }
        if (interOpThreads < 1) {
            throw new IllegalArgumentException("inter-op threads must be >= 1, got " + interOpThreads);
        }
        if (cudaDeviceId < 0) {
            throw new IllegalArgumentException("FLOWRECON_CUDA_DEVICE_ID must be >= 0, got " + cudaDeviceId);
        }
        if (sessionCacheEntries < 1) {
            throw new IllegalArgumentException("FLOWRECON_SESSION_CACHE_ENTRIES must be >= 1, got " + sessionCacheEntries);
        }
    }

    /** One intra-op thread, no spinning, CPU: what tests use. */
    public static RuntimeConfig cpu(int intraOpThreads) {
        return new RuntimeConfig(ExecutionProviderKind.CPU, intraOpThreads, 1, false, 0, CudnnConvSearch.HEURISTIC, 4);
    }
}
