package io.flowrecon.devstack;

import org.testcontainers.DockerClientFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a Docker daemon answers, asked so that a machine without one is told quickly and quietly. */
final class DockerProbe {

    private DockerProbe() {
    }

    static boolean dockerAnswers() {
        // Testcontainers' own probe walks every strategy and logs an error per failure, which takes
        // seconds and litters the test log; skip it when there is clearly no daemon to find.
        boolean hintsOfDocker = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!hintsOfDocker) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
