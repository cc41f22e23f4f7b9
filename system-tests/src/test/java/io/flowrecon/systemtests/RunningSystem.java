package io.flowrecon.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.net.Ports;
import io.flowrecon.devstack.stack.ApiClient;
import io.flowrecon.devstack.stack.ChildProcess;
import io.flowrecon.shared.auth.ApiKeyStore;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The system as a user meets it: the packaged API ({@code flowrecon.api.jar}) and worker processes
 * ({@code FlowreconCli worker} on this JVM's class path) as children, on the shared broker and a fresh database.
 */
final class RunningSystem implements AutoCloseable {

    static final Set<String> FINAL_STATUSES = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private final Map<String, String> environment;
    private final Path logs;
    private final ApiClient api;
    private final Supplier<ChildProcess> apiStarter;
    private volatile ChildProcess apiProcess;
    private final List<ChildProcess> workers = new CopyOnWriteArrayList<>();
    /** Each worker id keeps its health port across restarts, as a restarted pod keeps its address. */
    private final Map<String, Integer> workerPorts = new ConcurrentHashMap<>();
    private final Set<String> workerIds = ConcurrentHashMap.newKeySet();
    /** The owner whose key {@link #api()} sends. */
    static final String OWNER = "system-tests";

    private RunningSystem(Map<String, String> environment, Path logs, ApiClient api, Supplier<ChildProcess> apiStarter,
                          ChildProcess apiProcess) {
        this.environment = environment;
        this.logs = logs;
        this.api = api;
        this.apiStarter = apiStarter;
        this.apiProcess = apiProcess;
    }

    /** Starts the API on a free port against a fresh database {@code database}, and waits until it is ready. */
    static RunningSystem start(Infrastructure infra, String database, Path logs) throws InterruptedException {
        return start(infra, database, logs, logs.resolve("models"));
    }

    /** As {@link #start(Infrastructure, String, Path)}, with the model bundles of {@code modelsDir} registered. */
    static RunningSystem start(Infrastructure infra, String database, Path logs, Path modelsDir)
            throws InterruptedException {
        String apiJar = System.getProperty("flowrecon.api.jar");
        if (apiJar == null || !Files.isRegularFile(Path.of(apiJar))) {
            throw new IllegalStateException("system property flowrecon.api.jar must name the packaged API ("
                    + apiJar + " does not exist): build the api module first, e.g. ./mvnw -q -pl api package");
        }
        Map<String, String> env = new HashMap<>();
        env.put("FLOWRECON_DB_URL", infra.newDatabase(database));
        env.put("FLOWRECON_DB_USER", infra.dbUser());
        env.put("FLOWRECON_DB_PASSWORD", infra.dbPassword());
        env.put("FLOWRECON_KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
        env.put("FLOWRECON_MODELS_DIR", modelsDir.toAbsolutePath().toString());
        env.put("FLOWRECON_EXECUTION_PROVIDER", "cpu");
        env.put("FLOWRECON_INTRA_OP_THREADS", "1");
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        env.put("OMP_NUM_THREADS", "1");

        deleteLog(logs.resolve("api.log"));
        Map<String, String> apiEnv = new HashMap<>(env);
        int apiPort = Ports.freePort();
        apiEnv.put("QUARKUS_HTTP_PORT", Integer.toString(apiPort));
        Supplier<ChildProcess> apiStarter = () -> ChildProcess.start("api",
                List.of(ChildProcess.javaExecutable(), "-Xmx512m", "-XX:+UseSerialGC", "-jar", apiJar), apiEnv,
                Path.of("").toAbsolutePath(), logs.resolve("api.log"));
        ApiClient api = new ApiClient(URI.create("http://localhost:" + apiPort), new ObjectMapper());
        RunningSystem system = new RunningSystem(env, logs, api, apiStarter, apiStarter.get());
        system.awaitApiReady();
        return new RunningSystem(env, logs, system.apiAs(OWNER), apiStarter, system.apiProcess);
    }

    private void awaitApiReady() throws InterruptedException {
        ChildProcess process = apiProcess;
        if (!api.awaitReady(Duration.ofMinutes(5), process::isAlive)) {
            String tail = process.logTail(40);
            close();
            throw new IllegalStateException("the API did not become ready; last lines of its log:\n" + tail);
        }
    }

    /** Kills the API process (SIGKILL: no shutdown hooks, no goodbye to the database or Kafka). */
    void killApi() {
        apiProcess.kill();
    }

    /** Starts the API again on the same port and database, after {@link #killApi()}; waits until it is ready. */
    void restartApi() throws InterruptedException {
        if (apiProcess.isAlive()) {
            throw new IllegalStateException("the API still runs (pid " + apiProcess.pid() + ")");
        }
        apiProcess = apiStarter.get();
        awaitApiReady();
    }

    /**
     * A client calling with a new key of {@code owner}, created as {@code ./flowrecon keys create} does, in
     * the database the API uses (which the API has migrated once it is ready).
     */
    ApiClient apiAs(String owner) {
        return api.withKey(newKey(owner));
    }

    /** A new (non-admin) key of {@code owner}, for clients other than {@link ApiClient} (the command line, a browser). */
    String newKey(String owner) {
        try (Connection connection = database()) {
            return new ApiKeyStore().create(connection, owner, false, "system test").key();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create an API key for " + owner, e);
        }
    }

    /** A client without a key: only /q/* answers it. */
    ApiClient anonymousApi() {
        return api.withKey(null);
    }

    /** Starts one more worker process and waits until its health endpoint says ready. */
    ChildProcess startWorker(String workerId) throws InterruptedException {
        ChildProcess worker = workerStarter(workerId).get();
        awaitWorkerReady(workerId, worker);
        return worker;
    }

    /**
     * What starts worker {@code workerId}'s process (not waiting for it), for a {@link
     * io.flowrecon.devstack.stack.Supervisor} to call again after a crash. Its log is appended to across restarts.
     */
    Supplier<ChildProcess> workerStarter(String workerId) {
        Map<String, String> env = new HashMap<>(environment);
        int port = workerPorts.computeIfAbsent(workerId, id -> Ports.freePort());
        env.put("FLOWRECON_WORKER_ID", workerId);
        env.put("FLOWRECON_WORKER_HTTP_PORT", Integer.toString(port));
        if (workerIds.add(workerId)) {
            deleteLog(logs.resolve(workerId + ".log"));
        }
        return () -> {
            ChildProcess worker = ChildProcess.start(workerId,
                    List.of(ChildProcess.javaExecutable(), "-Xmx1g", "-XX:+UseSerialGC",
                            "-cp", workerClassPath(), "io.flowrecon.worker.cli.FlowreconCli", "worker"),
                    env, Path.of("").toAbsolutePath(), logs.resolve(workerId + ".log"));
            workers.add(worker);
            return worker;
        };
    }

    /** Waits until the worker's health endpoint says ready; fails with its log when it dies first. */
    void awaitWorkerReady(String workerId, ChildProcess worker) throws InterruptedException {
        ApiClient health = new ApiClient(URI.create("http://localhost:" + workerPorts.get(workerId)), new ObjectMapper());
        if (!health.awaitReady(Duration.ofMinutes(2), worker::isAlive)) {
            throw new IllegalStateException("worker " + workerId + " did not become ready; last lines of its log:\n"
                    + worker.logTail(40));
        }
    }

    /** The latest process started for worker {@code workerId}. */
    ChildProcess workerProcess(String workerId) {
        ChildProcess latest = null;
        for (ChildProcess worker : workers) {
            if (worker.name().equals(workerId)) {
                latest = worker;
            }
        }
        if (latest == null) {
            throw new IllegalArgumentException("no worker " + workerId + " was started");
        }
        return latest;
    }

    /** Kills every worker process (SIGKILL), as a host crash would. */
    void killWorkers() {
        for (ChildProcess worker : workers) {
            if (worker.isAlive()) {
                worker.kill();
            }
        }
    }

    /** A connection to the database the API and the workers use, to check what they wrote. */
    Connection database() throws SQLException {
        return DriverManager.getConnection(environment.get("FLOWRECON_DB_URL"), environment.get("FLOWRECON_DB_USER"),
                environment.get("FLOWRECON_DB_PASSWORD"));
    }

    /**
     * This JVM's class path (the worker is a test dependency), unless {@code flowrecon.worker.classpath} names
     * another, e.g. {@code ../worker/target/classes:../worker/target/lib/*} to test a freshly built worker.
     */
    private static String workerClassPath() {
        String override = System.getProperty("flowrecon.worker.classpath");
        return override == null || override.isBlank() ? System.getProperty("java.class.path") : override;
    }

    /** Each run's logs start empty, so a failure message shows this run only. */
    private static void deleteLog(Path log) {
        try {
            Files.deleteIfExists(log);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot delete the old log " + log, e);
        }
    }

    ApiClient api() {
        return api;
    }

    /** Polls the job until it reaches a final status; fails with the last state (and logs) otherwise. */
    JsonNode awaitFinal(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = api.job(id);
        while (!FINAL_STATUSES.contains(job.path("status").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            job = api.job(id);
        }
        if (!FINAL_STATUSES.contains(job.path("status").asText())) {
            throw new AssertionError("job " + id + " still " + job.path("status").asText() + " after " + timeout
                    + "\nAPI log:\n" + apiProcess.logTail(20) + "\nworker logs:\n" + workerLogTails());
        }
        return job;
    }

    /** The end of each worker's log (one log per worker id, whatever its restarts). */
    String workerLogTails() {
        Map<String, ChildProcess> latest = new java.util.LinkedHashMap<>();
        workers.forEach(worker -> latest.put(worker.name(), worker));
        StringBuilder tails = new StringBuilder();
        for (ChildProcess worker : latest.values()) {
            tails.append("--- ").append(worker.name()).append('\n').append(worker.logTail(20)).append('\n');
        }
        return tails.toString();
    }

    String apiLogTail(int lines) {
        return apiProcess.logTail(lines);
    }

    @Override
    public void close() {
        for (ChildProcess worker : workers) {
            if (worker.isAlive()) {
                worker.stop(Duration.ofSeconds(15));
            }
        }
        apiProcess.stop(Duration.ofSeconds(15));
    }
}
