package io.flowrecon.worker.app;

import com.adobe.testing.s3mock.S3MockApplication;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.JobSpec;
import io.flowrecon.shared.job.Problem;
import io.flowrecon.shared.job.SolverSettings;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.shared.model.Sha256;
import io.flowrecon.worker.cli.FlowreconCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.flowrecon.worker.app.JobFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker in its own JVM whose bundle store is S3 (a real S3 server, Adobe's S3Mock, in this JVM): a model whose
 * generator exists only as an object in the bucket, with no database blob and no bundle folder, solves a job. This
 * is the deployment where workers on other hosts share nothing but Kafka, PostgreSQL and the object store.
 */
@ExtendWith(InfrastructureExtension.class)
class S3BundleStoreWorkerTest {

    private static final String BUCKET = "flowrecon-priors";
    private static final String MODEL = "s3-glow";
    private static Infrastructure infra;
    private JobFixture fixture;
    private S3MockApplication server;
    private Process worker;

    @BeforeAll
    static void setUp(Infrastructure infrastructure) {
        infra = infrastructure;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (worker != null) {
            worker.destroyForcibly().waitFor();
        }
        if (server != null) {
            server.stop();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aWorkerFetchesAModelKeptOnlyInTheObjectStore(@TempDir Path root) throws Exception {
        server = S3MockApplication.start(new HashMap<>(Map.of(
                S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_INITIAL_BUCKETS, BUCKET,
                S3MockApplication.PROP_ROOT_DIRECTORY, root.resolve("s3").toString(),
                S3MockApplication.PROP_SILENT, true)));
        String endpoint = "http://localhost:" + server.getHttpPort();
        byte[] generator;
        try (InputStream in = getClass().getResourceAsStream("/imports/tiny-glow.onnx")) {
            generator = in.readAllBytes();
        }
        String sha = Sha256.hex(generator);
        try (S3Client s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.US_EAST_1)
                .endpointOverride(java.net.URI.create(endpoint)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            s3.putObject(b -> b.bucket(BUCKET).key("bundles/" + sha), RequestBody.fromBytes(generator));
        }

        fixture = new JobFixture(infra, "s3store");
        ModelCard card = new ModelCard(MODEL, ModelKinds.GLOW, null, null, new ImageShape(1, 8, 8), 64, null,
                Map.of("source", "imported"), Map.of(), null, Map.of(ModelBundle.GENERATOR, sha),
                Instant.parse("2026-12-03T00:00:00Z"));
        fixture.execute("""
                insert into models (id, kind, card, sha256, status, owner) values (?, 'glow', ?::jsonb, ?, 'ready', 'test')""",
                MODEL, card.toJson(), ModelBundle.bundleHash(card));
        assertEquals(0L, ((Number) fixture.rows("select count(*) from model_blobs").get(0).get(0)).longValue(),
                "the database holds no copy of the generator");

        Map<String, String> env = new HashMap<>(fixture.environment("w-s3"));
        env.putAll(Map.of("FLOWRECON_BUNDLE_STORE", "s3", "FLOWRECON_S3_BUCKET", BUCKET,
                "FLOWRECON_S3_ENDPOINT", endpoint, "FLOWRECON_BUNDLE_CACHE", root.resolve("cache").toString(),
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                FlowreconCli.class.getName(), "worker");
        builder.environment().putAll(env);
        File log = Files.createTempFile("flowrecon-s3-worker", ".log").toFile();
        worker = builder.redirectErrorStream(true).redirectOutput(log).start();

        SolverSettings glow = SolverSettings.defaultsFor(ModelKinds.GLOW);
        SolverSettings settings = new SolverSettings(glow.optimizer(), 4, glow.lr(), glow.gamma(), glow.lambda(),
                glow.restarts(), glow.init());
        Problem problem = new Problem.CompressiveSensing(48, Problem.SensingOperator.GAUSSIAN, 7, new Problem.Noise.None());
        UUID job = fixture.insertJob(new JobSpec(MODEL, problem, settings, null), JobFixture.testImage(8));
        fixture.publish(job);

        await("job on the S3-configured worker finished", Duration.ofSeconds(180),
                () -> List.of("SUCCEEDED", "FAILED").contains(fixture.status(job)) || !worker.isAlive());
        assertEquals("SUCCEEDED", fixture.status(job),
                () -> "error: " + fixture.error(job) + "; worker log:\n" + readQuietly(log));
        assertEquals(ModelBundle.bundleHash(card),
                fixture.queryString("select model_sha256 from results where job_id = ?", job));
        List<String> cached = Files.walk(root.resolve("cache")).filter(Files::isRegularFile).map(p -> {
                    try {
                        return Sha256.hex(Files.readAllBytes(p));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
        // the cache folder holds the fetched generator (verified against its hash) beside the card it wrote
        assertTrue(cached.contains(sha), "the worker cached the object it fetched, byte for byte: " + cached);
    }

    private static String readQuietly(File log) {
        try {
            return Files.readString(log.toPath());
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
