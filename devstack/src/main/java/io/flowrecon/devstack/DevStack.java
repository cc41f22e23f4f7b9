package io.flowrecon.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.devstack.kafka.EmbeddedKafka;
import io.flowrecon.devstack.keys.LocalKey;
import io.flowrecon.devstack.net.Ports;
import io.flowrecon.devstack.postgres.Durability;
import io.flowrecon.devstack.postgres.EmbeddedPostgresServer;
import io.flowrecon.devstack.stack.ApiClient;
import io.flowrecon.devstack.stack.ChildProcess;
import io.flowrecon.devstack.stack.Demo;
import io.flowrecon.devstack.stack.DemoSet;
import io.flowrecon.devstack.stack.RestartPolicy;
import io.flowrecon.devstack.stack.Supervisor;
import io.flowrecon.shared.image.Image;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack behind the README's first command: Kafka on localhost:9092 and PostgreSQL on localhost:15432
 * (data under {@code .flowrecon/}, so history survives restarts), the API on 8080 and one worker as supervised
 * child processes (logs under {@code .flowrecon/logs/}; one that crashes is restarted with back-off while Kafka
 * and PostgreSQL stay up, {@link Supervisor}), then compressive-sensing demos ({@link DemoSet}); serves until
 * Ctrl-C or SIGTERM.
 *
 * <p>Run from the repository root after {@code ./mvnw install -DskipTests}:
 * {@code ./flowrecon up [--demo fmnist,celeba,ffhq | --no-demo]} ({@link UpCommand}).
 */
public final class DevStack {

    static final int KAFKA_PORT = 9092;
    static final int POSTGRES_PORT = 15432;
    static final int API_PORT = 8080;
    static final int WORKER_HTTP_PORT = 8081;
    static final String API_JAR = "api/target/quarkus-app/quarkus-run.jar";
    static final String WORKER_JAR = "worker/target/flowrecon-worker-0.1.0-SNAPSHOT.jar";
    static final String WORKER_CLASSPATH_PROPERTY = "flowrecon.worker.classpath";
    /** The demo when none is named: the sparsity baseline against the shipped Fashion-MNIST priors. */
    static final List<String> DEFAULT_DEMOS = List.of("fmnist");

    private final Path root;
    private final Path home;
    private final PrintStream out;
    private final Supervisor supervisor;
    private volatile boolean stopping;
    private EmbeddedKafka kafka;
    private EmbeddedPostgresServer postgres;
    /** The stack's API key ({@link LocalKey}), once the API has migrated the schema. */
    private volatile String apiKey;

    DevStack(Path root, PrintStream out) {
        this.root = root.toAbsolutePath().normalize();
        this.home = this.root.resolve(".flowrecon");
        this.out = out;
        this.supervisor = new Supervisor(RestartPolicy.STANDARD, out);
    }

    public static void main(String[] args) {
        int code = UpCommand.run(List.of(args), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts everything, runs the demos, and serves until Ctrl-C; exits the JVM with 1 when the start fails. */
    static void serve(List<String> demos) throws InterruptedException {
        quietLogging();
        DevStack stack = new DevStack(Path.of(""), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            stopped.countDown();
        }, "flowrecon-devstack-shutdown"));
        try {
            stack.start();
            for (String name : demos) {
                stack.runDemo(DemoSet.named(name, dataRoot()));
            }
            System.out.println("serving; a crashed API or worker is restarted; Ctrl-C stops the API, the worker, Kafka "
                    + "and PostgreSQL");
        } catch (Exception e) {
            if (!stack.isStopping()) {
                System.err.println("flowrecon up: " + e.getMessage());
                System.exit(1);
            }
        }
        stopped.await();
    }

    /** The stack's PostgreSQL. Users keep their job history in it: a commit that returned must survive a crash. */
    static EmbeddedPostgresServer startPostgres(int port, Path dataDirectory) {
        return EmbeddedPostgresServer.start(port, dataDirectory, Durability.DURABLE);
    }

    /** The team's data folder with celeba/ and ffhq-dev/: FLOWRECON_DATA, else ../shared/data. */
    static Path dataRoot() {
        return Path.of(System.getenv().getOrDefault("FLOWRECON_DATA", "../shared/data"));
    }

    /** Kafka logs every partition and group event at INFO; the stack's own lines are what matters here. */
    private static void quietLogging() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.flowrecon", "info");
        System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "warn");
    }

    void start() throws InterruptedException {
        Path apiJar = root.resolve(API_JAR);
        Path workerJar = root.resolve(WORKER_JAR);
        List<Path> required = System.getProperty(WORKER_CLASSPATH_PROPERTY) == null ? List.of(apiJar, workerJar)
                : List.of(apiJar);
        for (Path jar : required) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build first with `./mvnw -q install -DskipTests` "
                        + "from the repository root (" + root + ")");
            }
        }
        Ports.requireFree(KAFKA_PORT, "Kafka", "or stop the other Kafka; the local stack always uses 9092");
        Ports.requireFree(POSTGRES_PORT, "PostgreSQL", "(perhaps another flowrecon stack is still running)");
        Ports.requireFree(API_PORT, "the API", "(perhaps another flowrecon stack is still running)");
        Ports.requireFree(WORKER_HTTP_PORT, "the worker's health and metrics", "");

        out.println("starting Kafka on localhost:" + KAFKA_PORT + " and PostgreSQL on localhost:" + POSTGRES_PORT
                + " (data in " + home + ")");
        CompletableFuture<EmbeddedPostgresServer> pg = CompletableFuture.supplyAsync(
                () -> startPostgres(POSTGRES_PORT, home.resolve("postgres")));
        kafka = new EmbeddedKafka(KAFKA_PORT, home.resolve("kafka")).start();
        postgres = pg.join();

        Map<String, String> env = new HashMap<>();
        env.put("FLOWRECON_DB_URL", postgres.jdbcUrl());
        env.put("FLOWRECON_DB_USER", postgres.user());
        env.put("FLOWRECON_DB_PASSWORD", postgres.password());
        env.put("FLOWRECON_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("FLOWRECON_MODELS_DIR", root.resolve("models").toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(API_PORT));

        Path logs = home.resolve("logs");
        out.println("starting the API (log " + logs.resolve("api.log") + ")");
        List<String> apiCommand = List.of(ChildProcess.javaExecutable(), "-Xmx768m", "-jar", apiJar.toString());
        ChildProcess api = supervisor.supervise("api",
                () -> ChildProcess.start("api", apiCommand, env, root, logs.resolve("api.log"))).current();

        ApiClient client = apiClient();
        if (!client.awaitReady(Duration.ofMinutes(3), api::isAlive)) {
            throw new IllegalStateException("the API did not become ready at " + client.base() + "/q/health/ready"
                    + (api.isAlive() ? " within 3 minutes" : " (it exited)") + "; last lines of " + api.log() + ":"
                    + System.lineSeparator() + api.logTail(30));
        }
        apiKey = LocalKey.ensure(postgres.jdbcUrl(), postgres.user(), postgres.password(), home, out);
        // The worker after the API: the API migrates the schema the worker reads.
        Map<String, String> workerEnv = new HashMap<>(env);
        workerEnv.put("FLOWRECON_WORKER_ID", "local-worker-1");
        workerEnv.put("FLOWRECON_WORKER_HTTP_PORT", Integer.toString(WORKER_HTTP_PORT));
        out.println("starting one worker (log " + logs.resolve("worker.log") + ")");
        List<String> workerCommand = workerCommand(workerJar);
        ChildProcess worker = supervisor.supervise("worker",
                () -> ChildProcess.start("worker", workerCommand, workerEnv, root, logs.resolve("worker.log"))).current();
        ApiClient workerHealth = new ApiClient(URI.create("http://localhost:" + WORKER_HTTP_PORT), new ObjectMapper());
        if (!workerHealth.awaitReady(Duration.ofMinutes(2), worker::isAlive)) {
            throw new IllegalStateException("the worker did not become ready at " + workerHealth.base()
                    + "/q/health/ready" + (worker.isAlive() ? " within 2 minutes" : " (it exited)") + "; last lines of "
                    + worker.log() + ":" + System.lineSeparator() + worker.logTail(30));
        }
        printWhereToLook(logs);
    }

    /**
     * The packaged worker, or the class path in the system property {@value #WORKER_CLASSPATH_PROPERTY} (e.g.
     * {@code worker/target/classes:worker/target/lib/*}) to try a worker that is not packaged yet.
     */
    private static List<String> workerCommand(Path workerJar) {
        String classPath = System.getProperty(WORKER_CLASSPATH_PROPERTY);
        if (classPath != null && !classPath.isBlank()) {
            return List.of(ChildProcess.javaExecutable(), "-Xmx2g", "-cp", classPath,
                    "io.flowrecon.worker.cli.FlowreconCli", "worker");
        }
        // A short class path with a wildcard: ONNX Runtime crashes in JVMs with very long command lines.
        String packaged = workerJar + java.io.File.pathSeparator + workerJar.resolveSibling("lib").resolve("*");
        return List.of(ChildProcess.javaExecutable(), "-Xmx2g", "-cp", packaged,
                "io.flowrecon.worker.cli.FlowreconCli", "worker");
    }

    private ApiClient apiClient() {
        return new ApiClient(URI.create("http://localhost:" + API_PORT), new ObjectMapper()).withKey(apiKey);
    }

    private void printWhereToLook(Path logs) {
        String api = "http://localhost:" + API_PORT;
        String worker = "http://localhost:" + WORKER_HTTP_PORT;
        out.println();
        out.println("flowrecon is up");
        out.println("  API          " + api + "/api/v1/jobs   (models: " + api + "/api/v1/models)");
        out.println("  OpenAPI      " + api + "/q/openapi");
        out.println("  Swagger UI   " + api + "/q/swagger-ui");
        out.println("  health       " + api + "/q/health   worker: " + worker + "/q/health");
        out.println("  metrics      " + api + "/q/metrics   worker: " + worker + "/q/metrics");
        out.println("  Kafka        " + kafka.bootstrapServers() + "   PostgreSQL " + postgres.jdbcUrl()
                + " (user " + postgres.user() + ", password " + postgres.password() + ")");
        out.println("  logs         " + logs);
        out.println("  API key      " + home.resolve(LocalKey.FILE_NAME) + "   (curl -H \"Authorization: Bearer $(cat "
                + home.resolve(LocalKey.FILE_NAME) + ")\" " + api + "/api/v1/jobs)");
        out.println();
    }

    void runDemo(DemoSet set) throws Exception {
        List<Image> truths;
        try {
            truths = set.images().load();
        } catch (IOException e) {
            out.println("demo " + set.name() + " skipped: " + e.getMessage());
            return;
        }
        out.println("demo " + set.name() + ": " + truths.size() + " images from " + set.source());
        ApiClient api = apiClient();
        Demo demo = new Demo(api, out);
        for (String model : set.models()) {
            if (api.get("/api/v1/models/" + model).status() != 200) {
                out.println("demo: model " + model + " is not registered; skipped");
                continue;
            }
            demo.run(model, truths, set.measurements(), Duration.ofMinutes(20));
        }
    }

    boolean isStopping() {
        return stopping;
    }

    /** Children first, with no more restarts (they hold connections), then Kafka and PostgreSQL. Safe to call twice. */
    synchronized void stop() {
        stopping = true;
        supervisor.stop(Duration.ofSeconds(20));
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
