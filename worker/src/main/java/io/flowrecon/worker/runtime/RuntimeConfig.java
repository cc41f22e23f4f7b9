package io.flowrecon.worker.runtime;

import java.util.Map;

/**
 * How ONNX Runtime sessions are made.
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

    /**
     * Reads FLOWRECON_EXECUTION_PROVIDER (cpu|cuda, default cpu), FLOWRECON_INTRA_OP_THREADS (default 0),
     * FLOWRECON_ORT_ALLOW_SPINNING (default false), FLOWRECON_CUDA_DEVICE_ID (default 0),
     * FLOWRECON_CUDNN_CONV_ALGO_SEARCH (default HEURISTIC: EXHAUSTIVE benchmarks every algorithm per new
     * shape, which costs seconds per session) and FLOWRECON_SESSION_CACHE_ENTRIES (default 4).
     */
    public static RuntimeConfig fromEnvironment(Map<String, String> env) {
        ExecutionProviderKind provider = ExecutionProviderKind.fromWireName(env.getOrDefault("FLOWRECON_EXECUTION_PROVIDER", "cpu"));
        int intra = integer(env, "FLOWRECON_INTRA_OP_THREADS", 0);
        boolean spinning = Boolean.parseBoolean(env.getOrDefault("FLOWRECON_ORT_ALLOW_SPINNING", "false").trim());
        int device = integer(env, "FLOWRECON_CUDA_DEVICE_ID", 0);
        String search = env.getOrDefault("FLOWRECON_CUDNN_CONV_ALGO_SEARCH", "HEURISTIC").trim().toUpperCase(java.util.Locale.ROOT);
        CudnnConvSearch convSearch;
        try {
            convSearch = CudnnConvSearch.valueOf(search);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FLOWRECON_CUDNN_CONV_ALGO_SEARCH must be one of EXHAUSTIVE, HEURISTIC, DEFAULT; got '" + search + "'");
        }
        int entries = integer(env, "FLOWRECON_SESSION_CACHE_ENTRIES", 4);
        return new RuntimeConfig(provider, intra, 1, spinning, device, convSearch, entries);
    }

    private static int integer(Map<String, String> env, String name, int defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }
}
