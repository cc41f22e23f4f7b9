package io.flowrecon.worker.runtime;

/** Where ONNX Runtime runs the objective graphs; the wire name is FLOWRECON_EXECUTION_PROVIDER's value. */
public enum ExecutionProviderKind {
    CPU("cpu"),
    CUDA("cuda");

    private final String wireName;

    ExecutionProviderKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ExecutionProviderKind fromWireName(String name) {
        for (ExecutionProviderKind kind : values()) {
            if (kind.wireName.equalsIgnoreCase(name.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("FLOWRECON_EXECUTION_PROVIDER must be one of cpu, cuda; got '" + name + "'");
    }
}
