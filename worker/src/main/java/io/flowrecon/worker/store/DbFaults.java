package io.flowrecon.worker.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells database faults that go away on their own (the server is down or restarting, a
 * connection broke, a serialization conflict) from those that do not (a constraint, bad SQL).
 * Transient faults release a job for redelivery; the others fail it.
 */
public final class DbFaults {

    private DbFaults() {
    }

    public static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && transientState(sql.getSQLState())) {
                return true;
            }
            if (t instanceof java.net.ConnectException || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes from the PostgreSQL manual, appendix A: 08 connection exception,
     * 53 insufficient resources, 57P0x operator intervention (shutdown), 40001/40P01
     * serialization failure and deadlock.
     */
    private static boolean transientState(String state) {
        if (state == null) {
            return false;
        }
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                || state.equals("40001") || state.equals("40P01");
    }
}
