package io.flowrecon.api.experiment;

import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * How long work will take, from what the service has measured: the median wall time of a model's recent
 * solves, and the number of workers whose heartbeat is recent.
 */
@ApplicationScoped
public class ExperimentEstimates {

    /** Assumed for a model that has no finished job yet: the order of a 32 x 32 Glow solve on one CPU core. */
    static final double UNKNOWN_MODEL_SECONDS = 10.0;
    private static final int RECENT_RESULTS = 200;
    /** Six missed beats: a worker that is only busy never misses that many, a dead one is gone within this. */
    static final int LIVE_SECONDS = 30;

    private final DataSource dataSource;

    public ExperimentEstimates(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Seconds until jobs of these models (one entry per job) are done by the live workers. */
    public double estimateSeconds(Collection<String> models) throws SQLException {
        return solveSeconds(models) / liveWorkers();
    }

    /** Seconds one worker would take to solve jobs of these models (one entry per job), one after another. */
    public double solveSeconds(Collection<String> models) throws SQLException {
        Map<String, Double> medians = new HashMap<>();
        double total = 0;
        for (String model : models) {
            Double median = medians.get(model);
            if (median == null) {
                median = medianSeconds(model);
                medians.put(model, median);
            }
            total += median;
        }
        return total;
    }

    /** Median wall time of the model's last few hundred results, or {@link #UNKNOWN_MODEL_SECONDS}. */
    double medianSeconds(String model) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     select percentile_cont(0.5) within group (order by wall_millis) from (
                         select r.wall_millis from results r join jobs j on j.id = r.job_id
                         where j.model_id = ? order by r.created_at desc limit ?) recent
                     """)) {
            statement.setString(1, model);
            statement.setInt(2, RECENT_RESULTS);
            try (ResultSet rows = statement.executeQuery()) {
                double millis = rows.next() ? rows.getDouble(1) : 0;
                return rows.wasNull() || millis <= 0 ? UNKNOWN_MODEL_SECONDS : millis / 1000.0;
            }
        }
    }

    /** Workers whose heartbeat (every 5 s, worker_heartbeats) is at most {@value #LIVE_SECONDS} s old; at least one. */
    int liveWorkers() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "select count(*) from worker_heartbeats where last_seen > now() - make_interval(secs => ?)")) {
            statement.setInt(1, LIVE_SECONDS);
            try (ResultSet rows = statement.executeQuery()) {
                return Math.max(1, rows.next() ? rows.getInt(1) : 0);
            }
        }
    }
}
