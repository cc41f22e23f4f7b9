package io.flowrecon.worker.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DbFaultsTest {

    @Test
    void connectionFaultsAndShutdownsAreTransient() {
        assertTrue(DbFaults.isTransient(new SQLTransientConnectionException("pool timeout")));
        assertTrue(DbFaults.isTransient(new SQLException("connection refused", "08001")));
        assertTrue(DbFaults.isTransient(new SQLException("terminating connection", "57P01")));
        assertTrue(DbFaults.isTransient(new RuntimeException(new SQLException("serialization", "40001"))),
                "found through the cause chain");
    }

    @Test
    void dataAndProgrammingErrorsAreNot() {
        assertFalse(DbFaults.isTransient(new SQLException("duplicate key", "23505")));
        assertFalse(DbFaults.isTransient(new SQLException("syntax error", "42601")));
        assertFalse(DbFaults.isTransient(new IllegalStateException("boom")));
    }
}
