package io.flowrecon.worker.app;

import com.zaxxer.hikari.HikariDataSource;
import io.flowrecon.adjoint.AdjointBuilder;
import io.flowrecon.shared.model.store.BlobStores;
import io.flowrecon.worker.bundle.BundleCache;
import io.flowrecon.worker.bundle.BundleResolver;
import io.flowrecon.worker.engine.ObjectiveEngine;
import io.flowrecon.worker.job.JobMetrics;
import io.flowrecon.worker.job.JobRunner;
import io.flowrecon.worker.job.WorkerVersion;
import io.flowrecon.worker.queue.JobConsumer;
import io.flowrecon.worker.queue.QueueSetup;
import io.flowrecon.worker.runtime.SessionFactory;
import io.flowrecon.worker.solve.SolverRegistry;
import io.flowrecon.worker.store.Database;
import io.flowrecon.worker.store.Heartbeat;
import io.flowrecon.worker.store.JobStore;
import io.flowrecon.worker.store.ProgressStore;
import io.flowrecon.worker.store.ResultStore;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One worker: a share-group consumer feeding a job runner, a connection pool, and the
 * health/metrics endpoint. Holds no static state, so tests run several in one JVM, each
 * with its own worker id.
 */
public final class Worker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final WorkerConfig config;
    private final SolverRegistry solvers;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JobMetrics metrics = new JobMetrics(registry);
    private JvmGcMetrics gcMetrics;
    private HikariDataSource dataSource;
    private volatile BundleResolver bundles;
    private Heartbeat heartbeat;
    private JobConsumer consumer;
    private HealthServer health;
    private boolean started;
    private boolean closed;

    /** A worker serving every solver this build has ({@link SolverRegistry#standard}). */
    public Worker(WorkerConfig config) {
        this.config = config.requireService();
        // Resolved per job, after start() opened the pool: bundles come from the database on first use.
        this.solvers = SolverRegistry.standard(engine(config), model -> bundles().dirOf(model));
    }

    public Worker(WorkerConfig config, SolverRegistry solvers) {
        this.config = config.requireService();
        this.solvers = solvers;
    }

    /**
     * Ensures the topics and the group's start offset, opens the pool, joins the share group
     * and serves health and metrics. Fails if the broker does not answer.
     */
    public synchronized Worker start() {
        if (started) {
            throw new IllegalStateException("worker " + config.workerId() + " is already started");
        }
        started = true;
        QueueSetup queues = new QueueSetup(config.kafkaBootstrapServers());
        queues.ensure(config.topic(), config.shareGroup());
        queues.ensure(config.sweepTopic(), config.shareGroup());
        bindJvmMetrics();
        dataSource = Database.pool(config.dbUrl(), config.dbUser(), config.dbPassword(), "flowrecon-db-" + config.workerId());
        bundles = new BundleResolver(config.modelsDir(),
                new BundleCache(BundleCache.defaultRoot(System.getenv()), BlobStores.fromEnvironment(System.getenv(), dataSource)));
        heartbeat = new Heartbeat(dataSource, config.workerId(), WorkerVersion.get(), Heartbeat.DEFAULT_INTERVAL).start();
        JobRunner runner = new JobRunner(config.workerId(), config.runtime().provider().wireName(), new JobStore(dataSource),
                new ProgressStore(dataSource), new ResultStore(dataSource), solvers, metrics);
        consumer = new JobConsumer(config.kafkaBootstrapServers(), config.shareGroup(), config.topic(),
                config.sweepTopic(), config.sweepBatch(), config.workerId(), config.pollTimeout(), runner, () -> Database.answers(dataSource));
        consumer.start();
        Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
        checks.put("kafka-share-consumer", consumer::subscribed);
        checks.put("database", () -> Database.answers(dataSource));
        try {
            health = new HealthServer(config.httpPort(), Map.of("kafka-share-consumer-thread", consumer::alive), checks,
                    registry, "flowrecon-http-" + config.workerId());
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot serve health on port " + config.httpPort(), e);
        }
        LOG.info("worker {} started: topics {} and {} (sweeps, up to {} per turn), group {}, health on port {}",
                config.workerId(), config.topic(), config.sweepTopic(), config.sweepBatch(), config.shareGroup(), health.port());
        return this;
    }

    public String workerId() {
        return config.workerId();
    }

    /** The port health and metrics are served on (the chosen one when configured as 0). */
    public int httpPort() {
        if (health == null) {
            throw new IllegalStateException("worker " + config.workerId() + " is not started");
        }
        return health.port();
    }

    /** Ready: subscribed to the share group and the database answers. */
    public boolean ready() {
        return consumer != null && consumer.subscribed() && dataSource != null && Database.answers(dataSource);
    }

    public JobMetrics metrics() {
        return metrics;
    }

    /**
     * Graceful stop: takes no more work, stops the running solve at its next iteration,
     * releases its record for another worker, then closes everything.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (consumer != null) {
            consumer.close();
        }
        if (health != null) {
            health.close();
        }
        if (heartbeat != null) {
            heartbeat.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
        if (gcMetrics != null) {
            gcMetrics.close();
        }
        registry.close();
        LOG.info("worker {} stopped", config.workerId());
    }

    private void bindJvmMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * The latent solvers' engine, created at start-up so that a worker asked for CUDA on a host without it
     * fails at once with a clear message rather than on its first job.
     */
    private static ObjectiveEngine engine(WorkerConfig config) {
        return new ObjectiveEngine(SessionFactory.create(config.runtime()), AdjointBuilder.standard());
    }

    private BundleResolver bundles() {
        BundleResolver resolver = bundles;
        if (resolver == null) {
            throw new IllegalStateException("worker " + config.workerId() + " is not started");
        }
        return resolver;
    }
}
