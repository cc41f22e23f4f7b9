package io.flowrecon.api.model.validate;

/** A graph that cannot serve jobs; the message is the reason a user reads on the model. */
public final class ModelRejectedException extends Exception {

    public ModelRejectedException(String reason) {
        super(reason);
    }

    public ModelRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
