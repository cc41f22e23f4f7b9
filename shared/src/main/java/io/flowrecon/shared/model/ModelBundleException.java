package io.flowrecon.shared.model;

import java.io.IOException;

/** A model bundle is missing, malformed or does not match its card; the message names the file. */
public class ModelBundleException extends IOException {

    public ModelBundleException(String message) {
        super(message);
    }

    public ModelBundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
