package io.flowrecon.api.ui;

import io.flowrecon.api.support.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The web interface is served at / from the application itself: every file it consists of answers, none names
 * another origin, and the page's Content-Security-Policy allows only the application's own scripts and styles.
 * (Its behaviour in a browser: system-tests WebUiSystemTest.)
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class WebUiResourcesTest {

    private static final Path SERVED = Path.of("src", "main", "resources", "META-INF", "resources");
    private static final Pattern URL = Pattern.compile("https?://", Pattern.CASE_INSENSITIVE);
    private static final Pattern LOCAL_IMPORT = Pattern.compile("(?:import|from)\\s*[^'\"]*['\"](\\.{1,2}/[^'\"]+)['\"]");

    @Test
    void theRootServesThePageWithAPolicyThatAllowsOnlyItsOwnOrigin() {
        given().when().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("ui/js/app.js"))
                .header("Content-Security-Policy", containsString("default-src 'self'"));
    }

    @Test
    void everyServedFileAnswersAndNamesNoOtherOrigin() throws IOException {
        List<Path> files = servedFiles();
        assertTrue(files.size() >= 5, "the interface's files: " + files);
        for (Path file : files) {
            String path = SERVED.relativize(file).toString().replace('\\', '/');
            String body = given().when().get("/" + path).then().statusCode(200).extract().asString();
            Matcher url = URL.matcher(body);
            if (url.find()) {
                fail(path + " names another origin: " + body.substring(url.start(), Math.min(body.length(), url.start() + 60)));
            }
        }
    }

    @Test
    void everyModuleImportResolvesToAServedFile() throws IOException {
        for (Path file : servedFiles()) {
            if (!file.toString().endsWith(".js")) {
                continue;
            }
            Matcher imported = LOCAL_IMPORT.matcher(Files.readString(file));
            while (imported.find()) {
                Path target = file.getParent().resolve(imported.group(1)).normalize();
                assertTrue(Files.isRegularFile(target), SERVED.relativize(file) + " imports " + imported.group(1)
                        + ", which is not there");
            }
        }
    }

    private static List<Path> servedFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(SERVED)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
