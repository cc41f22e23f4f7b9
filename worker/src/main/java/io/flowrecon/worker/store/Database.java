package io.flowrecon.worker.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;

/** The worker's connection pool: small (one job at a time), and quick to say when the database is gone. */
public final class Database {

    private Database() {
    }

    /**
     * @param poolName shows in thread names and logs; the worker id keeps several workers in one JVM apart
     */
    public static HikariDataSource pool(String jdbcUrl, String user, String password, String poolName) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName(poolName);
        // One solve, one progress writer, one health probe at a time.
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        // A database outage must surface as a retryable fault within seconds, not hang a job.
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        // Start even when the database is down: readiness reports it, jobs are released until it is back.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** True when the database answers a trivial query within two seconds. */
    public static boolean answers(DataSource dataSource) {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }
}
