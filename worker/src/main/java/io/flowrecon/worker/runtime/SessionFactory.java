package io.flowrecon.worker.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.util.Set;

/** Opens ONNX Runtime sessions on the configured execution provider. */
public final class SessionFactory {

    private final OrtEnvironment environment;
    private final RuntimeConfig config;

    /**
     * @param availableProviders what this ONNX Runtime build offers ({@link OrtEnvironment#getAvailableProviders()});
     *                           checked here so that a misconfigured worker fails at start-up, not at its first job
     * @throws ExecutionProviderUnavailableException when CUDA is configured but not available
     */
    public SessionFactory(OrtEnvironment environment, RuntimeConfig config, Set<OrtProvider> availableProviders) {
        if (config.provider() == ExecutionProviderKind.CUDA && !availableProviders.contains(OrtProvider.CUDA)) {
            throw new ExecutionProviderUnavailableException("FLOWRECON_EXECUTION_PROVIDER=cuda but this ONNX Runtime build offers only "
                    + availableProviders + "; build the worker with the gpu profile (./mvnw -Pgpu package, onnxruntime_gpu) "
                    + "on a host with CUDA 12 and cuDNN 9, or set FLOWRECON_EXECUTION_PROVIDER=cpu");
        }
        this.environment = environment;
        this.config = config;
    }

    /** A factory for this process's environment and ONNX Runtime build. */
    public static SessionFactory create(RuntimeConfig config) {
        return new SessionFactory(OrtEnvironments.obtain(), config, OrtEnvironment.getAvailableProviders());
    }

    public OrtEnvironment environment() {
        return environment;
    }

    public RuntimeConfig config() {
        return config;
    }

    /** "cpu" or "cuda:0": what results.execution_provider records. */
    public String providerDescription() {
        return config.provider() == ExecutionProviderKind.CUDA ? "cuda:" + config.cudaDeviceId() : "cpu";
    }

    /** Opens a session on a serialized ModelProto. */
    public OrtSession open(byte[] model) {
        try (OrtSession.SessionOptions options = options()) {
            return environment.createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not open the graph on " + providerDescription() + ": " + e.getMessage(), e);
        }
    }

    private OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(config.intraOpThreads());
            options.setInterOpNumThreads(config.interOpThreads());
            String spinning = config.allowSpinning() ? "1" : "0";
            options.addConfigEntry("session.intra_op.allow_spinning", spinning);
            options.addConfigEntry("session.inter_op.allow_spinning", spinning);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (config.provider() == ExecutionProviderKind.CUDA) {
                try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(config.cudaDeviceId())) {
                    cuda.add("cudnn_conv_algo_search", config.cudnnConvSearch().name());
                    options.addCUDA(cuda);
                }
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
