package io.flowrecon.api.support;

import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.postgres.Durability;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.model.ModelBundle;
import io.flowrecon.shared.model.ModelCard;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Starts a real broker and a real PostgreSQL (devstack: embedded here, containers where Docker
 * answers) and a models folder with one valid bundle ({@value #TEST_MODEL}, 3x32x32) and one whose
 * file does not match its card (must be skipped). Tests receive the {@link Infrastructure} in a field.
 */
public class InfrastructureResource implements QuarkusTestResourceLifecycleManager {

    public static final String TEST_MODEL = "test32-glow";
    public static final String BROKEN_MODEL = "broken-glow";

    private Infrastructure infra;
    private Path modelsDir;

    @Override
    public Map<String, String> start() {
        // Throw-away test databases: no fsync per commit (see InfrastructureExtension).
        infra = Infrastructure.start(Durability.THROWAWAY);
        try {
            modelsDir = Files.createTempDirectory("flowrecon-api-models");
            writeBundle(modelsDir.resolve(TEST_MODEL), TEST_MODEL);
            Path broken = writeBundle(modelsDir.resolve(BROKEN_MODEL), BROKEN_MODEL);
            Files.write(broken.resolve(ModelBundle.GENERATOR), new byte[]{42});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", infra.jdbcUrl(),
                "quarkus.datasource.username", infra.dbUser(),
                "quarkus.datasource.password", infra.dbPassword(),
                "flowrecon.kafka.bootstrap-servers", infra.kafkaBootstrapServers(),
                "flowrecon.kafka.request-timeout-millis", "1500",
                "flowrecon.outbox.max-backoff-millis", "1000",
                "flowrecon.models.dir", modelsDir.toString());
    }

    private static Path writeBundle(Path dir, String id) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(ModelBundle.GENERATOR), new byte[]{1, 2, 3});
        ModelCard card = new ModelCard(id, "glow", "synthetic", "train", new ImageShape(3, 32, 32), 3072, null,
                Map.of("levels", 1), Map.of("steps", 0), null, Map.of(), Instant.parse("2026-11-29T00:00:00Z"));
        ModelBundle.write(dir, card, List.of(ModelBundle.GENERATOR));
        return dir;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(infra, new TestInjector.MatchesType(Infrastructure.class));
    }

    @Override
    public void stop() {
        try {
            if (infra != null) {
                infra.close();
            }
        } finally {
            deleteModelsDir();
        }
    }

    private void deleteModelsDir() {
        if (modelsDir == null) {
            return;
        }
        try (var paths = Files.walk(modelsDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temp folder is harmless.
        }
    }
}
