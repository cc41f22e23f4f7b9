package io.flowrecon.devstack.postgres;

import java.util.Map;

/**
 * What a crash of the host may cost a PostgreSQL server's data, as the server settings that
 * decide it (PostgreSQL 17 manual, 19.5 "Write Ahead Log": fsync, synchronous_commit,
 * full_page_writes). Chosen by whoever starts a server; there is no default.
 */
public enum Durability {

    /**
     * Nothing committed is lost: a commit returns once its WAL is on disk. For data people
     * keep, such as the local stack's job history.
     */
    DURABLE(Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on")),

    /**
     * Throw-away data, for tests only: commits return before their WAL is written, and a crash
     * may corrupt the cluster. Saves the fsyncs that dominate short transactions on a shared disk.
     */
    THROWAWAY(Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"));

    private final Map<String, String> serverSettings;

    Durability(Map<String, String> serverSettings) {
        this.serverSettings = serverSettings;
    }

    /** The server settings (postgresql.conf names and values) that give this durability. */
    public Map<String, String> serverSettings() {
        return serverSettings;
    }
}
