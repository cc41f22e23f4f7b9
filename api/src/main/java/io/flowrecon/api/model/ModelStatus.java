package io.flowrecon.api.model;

import java.util.Locale;

/** Where a model stands (the {@code models.status} column). */
public enum ModelStatus {
    /** Imported; its checks are running. Jobs naming it are refused. */
    VALIDATING,
    /** Passed its checks (built-in and folder bundles are ready when registered). */
    READY,
    /** Failed a check; {@code models.reason} says which. */
    REJECTED,
    /** Deleted by its owner; the row stays for the jobs and results that name it. */
    DELETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
