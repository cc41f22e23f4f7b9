package io.flowrecon.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowrecon.devstack.Infrastructure;
import io.flowrecon.devstack.junit.InfrastructureExtension;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web interface in a real headless Chromium against the packaged API and a worker: a job submitted through
 * the form succeeds and shows its reconstruction; a bad field shows the API's rule next to it; an experiment page
 * shows its plot and table; no page logs a console error, leaves a control unlabelled or text below 4.5:1 contrast.
 * Each test leaves a screenshot in target/screenshots/.
 */
@ExtendWith(InfrastructureExtension.class)
class WebUiSystemTest {

    /** A lasso-dct job on 16x16 takes well under a second; a loaded 2-core machine and queueing take longer. */
    private static final Duration JOB_DEADLINE = Duration.ofMinutes(4);
    private static final Duration PAGE_DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunningSystem system;
    private static HeadlessChromium browser;
    private static String key;
    private static Path truthPng;

    @BeforeAll
    static void start(Infrastructure infra) throws Exception {
        browser = HeadlessChromium.start();
        system = RunningSystem.start(infra, "web_ui_tests", Path.of("target", "web-ui"));
        system.startWorker("web-ui-worker");
        key = system.newKey("web-ui");
        truthPng = Path.of("target", "web-ui", "truth.png").toAbsolutePath();
        Files.write(truthPng, Png.encode(texture(16, 16, 3)));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @BeforeEach
    void forgetEarlierConsole() {
        browser.newConsoleErrors();
    }

    @Test
    void aJobSubmittedThroughTheFormSucceedsAndShowsItsReconstruction() {
        open("#/submit");
        WebElement form = waitFor(By.cssSelector("form.submit-form"));
        form.findElement(By.cssSelector("input[type=file]")).sendKeys(truthPng.toString());
        WebElement m = form.findElement(By.cssSelector("[data-field='problem.m']"));
        m.clear();
        m.sendKeys("120", Keys.ENTER);

        new WebDriverWait(browser.driver(), PAGE_DEADLINE).until(ExpectedConditions.urlMatches("#/jobs/[0-9a-f-]{36}$"));
        new WebDriverWait(browser.driver(), JOB_DEADLINE).until(ExpectedConditions.textToBe(
                By.cssSelector(".job-status .status"), "SUCCEEDED"));
        WebElement reconstruction = new WebDriverWait(browser.driver(), PAGE_DEADLINE).until(driver -> {
            List<WebElement> images = driver.findElements(By.cssSelector("img[data-kind=reconstruction]"));
            return images.isEmpty() || naturalWidth(images.get(0)) == 0 ? null : images.get(0);
        });
        browser.screenshot("job-succeeded");
        assertAccessibleBasics();

        assertEquals(16, naturalWidth(reconstruction), "the reconstruction PNG has the truth's width");
        assertTrue(reconstruction.getSize().getWidth() >= 200, "16 pixels are shown enlarged to a readable size, got "
                + reconstruction.getSize().getWidth() + " CSS pixels");
        assertEquals("pixelated", reconstruction.getCssValue("image-rendering"));
        assertEquals(16, naturalWidth(browser.driver().findElement(By.cssSelector("img[data-kind=truth]"))));
        assertTrue(browser.driver().findElements(By.cssSelector("svg.chart path.chart-line")).size() >= 1,
                "the loss curve is drawn");
        assertNoConsoleErrors();
    }

    @Test
    void aBadFieldShowsTheApiRuleNextToThatField() {
        open("#/submit");
        WebElement form = waitFor(By.cssSelector("form.submit-form"));
        assertFalse(form.findElement(By.cssSelector("[data-field='problem.mask.kind']")).isDisplayed(),
                "inpainting's controls are hidden while the problem is compressive sensing");
        form.findElement(By.cssSelector("input[type=file]")).sendKeys(truthPng.toString());
        WebElement m = form.findElement(By.cssSelector("[data-field='problem.m']"));
        m.clear();
        m.sendKeys("5000", Keys.ENTER);

        WebElement message = new WebDriverWait(browser.driver(), PAGE_DEADLINE).until(
                ExpectedConditions.visibilityOfElementLocated(By.id(m.getDomAttribute("id") + "-error")));
        browser.screenshot("submit-bad-field");
        assertAccessibleBasics();

        assertTrue(message.getText().contains("256"), "the rule names n = 16 x 16: " + message.getText());
        assertEquals(m.findElement(By.xpath("..")), message.findElement(By.xpath("..")), "the message sits in m's field");
        assertEquals("true", m.getDomAttribute("aria-invalid"));
        assertTrue(m.getDomAttribute("aria-describedby").contains(message.getDomAttribute("id")),
                "the control is described by its message");
        assertTrue(browser.driver().getCurrentUrl().endsWith("#/submit"), "the form stays");
        // The one expected entry: Chromium logs the refused POST itself.
        List<LogEntry> errors = browser.newConsoleErrors();
        errors.removeIf(entry -> entry.getMessage().contains("api/v1/jobs") && entry.getMessage().contains("400"));
        assertTrue(errors.isEmpty(), "console errors: " + errors);
    }

    @Test
    void anExperimentPageShowsItsPlotTableAndImageGrid() throws Exception {
        String experiment = createFinishedExperiment();
        open("#/experiments/" + experiment);
        WebElement plot = waitForLoadedImage(By.id("plot"));
        WebElement grid = waitForLoadedImage(By.id("grid"));
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("#cells tbody tr"));
        browser.screenshot("experiment");
        assertAccessibleBasics();

        assertEquals(2, rows.size(), "one row per ratio (images are not an axis of the summary)");
        assertTrue(rows.get(0).getText().contains("lasso-dct"), rows.get(0).getText());
        assertTrue(naturalWidth(plot) >= 400, "the plot is drawn");
        assertTrue(naturalWidth(grid) > 0, "the grid is drawn");
        assertTrue(browser.driver().findElement(By.cssSelector(".progress-box")).getText().contains("4 of 4 jobs done"));
        assertFalse(browser.driver().findElement(By.id("main")).getText().lines().anyMatch(line -> line.equals("null")),
                "no absent value is printed as text");
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].scrollIntoView()", grid);
        browser.screenshot("experiment-grid");
        assertNoConsoleErrors();

        open("#/experiments");
        waitFor(By.cssSelector(".cards progress"));
        browser.screenshot("experiments");
        assertAccessibleBasics();
        assertNoConsoleErrors();
    }

    @Test
    void anotherOwnersJobIsNeverShown() throws Exception {
        String png = Base64.getEncoder().encodeToString(Files.readAllBytes(truthPng));
        String theirs = send(system.newKey("web-ui-other"), HttpRequest.newBuilder(uri("/api/v1/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"model": "lasso-dct", "problem": {"kind": "compressive-sensing", "m": 50}, "truth": {"png": "%s"}}
                        """.formatted(png)))).path("id").asText();

        open("#/jobs/" + theirs);
        WebElement refusal = waitFor(By.cssSelector("main .error-box"));
        browser.screenshot("other-owners-job");
        assertTrue(browser.driver().findElements(By.cssSelector("img[data-kind]")).isEmpty(), "no image of theirs");
        assertTrue(refusal.getText().contains("not found"), refusal.getText());
        open("#/jobs");
        waitFor(By.cssSelector("form.filters"));
        assertFalse(browser.driver().findElement(By.id("main")).getText().contains(theirs.substring(0, 8)),
                "their job is not in this key's history");
        // The expected entries: Chromium logs the refused GETs of their job itself.
        List<LogEntry> errors = browser.newConsoleErrors();
        errors.removeIf(entry -> entry.getMessage().contains(theirs) && entry.getMessage().contains("404"));
        assertTrue(errors.isEmpty(), "console errors: " + errors);
    }

    @Test
    void aLongJobIsCancelledFromItsPage() throws Exception {
        // 100,000 Deep Decoder steps: minutes of work, so the job is queued or running when the button is pressed
        String png = Base64.getEncoder().encodeToString(Files.readAllBytes(truthPng));
        String id = post("/api/v1/jobs", """
                {"model": "deep-decoder", "problem": {"kind": "denoising", "noise": {"kind": "gaussian", "std": 0.1}},
                 "solver": {"steps": 100000}, "truth": {"png": "%s"}}
                """.formatted(png)).path("id").asText();
        open("#/jobs/" + id);
        WebElement cancel = new WebDriverWait(browser.driver(), PAGE_DEADLINE).until(ExpectedConditions.elementToBeClickable(
                By.xpath("//button[normalize-space()='Cancel job']")));
        cancel.click();
        new WebDriverWait(browser.driver(), JOB_DEADLINE).until(ExpectedConditions.textToBe(
                By.cssSelector(".job-status .status"), "CANCELLED"));
        browser.screenshot("job-cancelled");
        assertAccessibleBasics();
        assertTrue(browser.driver().findElements(By.xpath("//button[normalize-space()='Cancel job']")).isEmpty(),
                "a cancelled job offers no cancel button");
        assertEquals("CANCELLED", get("/api/v1/jobs/" + id).path("status").asText());
        assertNoConsoleErrors();
    }

    @Test
    void aWrongKeyIsRefusedAndAskedForAgain() {
        // The page must be settled before the key changes: a call still in flight from the page the previous test
        // left (or from this one) would send the wrong key, get the 401 and forget the key before the reload, and
        // the reloaded page would then ask for a key without saying why.
        open("#/jobs");
        waitFor(By.cssSelector("form.filters"));
        ((JavascriptExecutor) browser.driver()).executeScript(
                "sessionStorage.setItem('flowrecon.apiKey', 'frk_not-a-key-of-this-service');");
        browser.driver().navigate().refresh();
        WebElement problem = new WebDriverWait(browser.driver(), PAGE_DEADLINE).until(
                ExpectedConditions.visibilityOfElementLocated(By.id("key-problem")));
        assertTrue(browser.driver().findElement(By.id("key-dialog")).getDomAttribute("open") != null,
                "the key dialog is open again");
        browser.screenshot("wrong-key");
        assertFalse(problem.getText().isBlank(), "the dialog says why it asks again");
        assertTrue(browser.driver().findElements(By.cssSelector("form.filters")).isEmpty(), "no history without a key");
        // The expected entries: Chromium logs the refused calls itself.
        List<LogEntry> errors = browser.newConsoleErrors();
        errors.removeIf(entry -> entry.getMessage().contains("401"));
        assertTrue(errors.isEmpty(), "console errors: " + errors);

        browser.driver().findElement(By.id("key-input")).sendKeys(key, Keys.ENTER);
        waitFor(By.cssSelector("form.filters"));
        assertNoConsoleErrors();
    }

    @Test
    void historyAndModelPagesOpenWithoutConsoleErrors() {
        open("#/jobs");
        waitFor(By.cssSelector("form.filters"));
        browser.screenshot("jobs");
        assertAccessibleBasics();
        assertNoConsoleErrors();

        open("#/models");
        WebElement lasso = new WebDriverWait(browser.driver(), PAGE_DEADLINE).until(driver ->
                driver.findElements(By.cssSelector(".models .card h2")).stream()
                        .filter(h -> h.getText().equals("lasso-dct")).findFirst().orElse(null));
        browser.screenshot("models");
        assertAccessibleBasics();
        assertTrue(lasso.isDisplayed());
        assertNoConsoleErrors();
    }

    /** Opens a page of the interface, giving the key when the page asks for it. */
    private static void open(String hash) {
        browser.driver().get(system.api().base().resolve("/" + hash).toString());
        WebElement dialog = browser.driver().findElement(By.id("key-dialog"));
        if (dialog.getDomAttribute("open") != null) {
            browser.driver().findElement(By.id("key-input")).sendKeys(key, Keys.ENTER);
        }
        waitFor(By.cssSelector("main h1"));
    }

    private static WebElement waitFor(By locator) {
        return new WebDriverWait(browser.driver(), PAGE_DEADLINE).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private static WebElement waitForLoadedImage(By locator) {
        return new WebDriverWait(browser.driver(), PAGE_DEADLINE).until(driver -> {
            List<WebElement> images = driver.findElements(locator);
            return images.isEmpty() || naturalWidth(images.get(0)) == 0 ? null : images.get(0);
        });
    }

    private static long naturalWidth(WebElement image) {
        Object width = ((JavascriptExecutor) browser.driver()).executeScript(
                "return arguments[0].complete ? arguments[0].naturalWidth : 0;", image);
        return ((Number) width).longValue();
    }

    private static void assertAccessibleBasics() {
        assertEquals(List.of(), PageChecks.unnamedControls(browser.driver()), "controls without a label");
        assertEquals(List.of(), PageChecks.lowContrastText(browser.driver()), "text below WCAG AA contrast");
    }

    private static void assertNoConsoleErrors() {
        List<LogEntry> errors = browser.newConsoleErrors();
        assertTrue(errors.isEmpty(), "console errors: " + errors);
    }

    /** An image set of two 16x16 images and a lasso-dct grid over two ratios, run to the end. */
    private static String createFinishedExperiment() throws Exception {
        String images = JSON.writeValueAsString(List.of(
                java.util.Map.of("name", "a.png", "png", Base64.getEncoder().encodeToString(Png.encode(texture(16, 16, 1)))),
                java.util.Map.of("name", "b.png", "png", Base64.getEncoder().encodeToString(Png.encode(texture(16, 16, 2))))));
        JsonNode set = post("/api/v1/image-sets", "{\"name\": \"web-ui-set\", \"images\": " + images + "}");
        JsonNode created = post("/api/v1/experiments", """
                {"name": "web-ui sweep", "images": {"imageSet": "%s"}, "models": ["lasso-dct"],
                 "problems": [{"kind": "compressive-sensing", "ratio": [0.25, 0.5],
                               "noise": {"kind": "gaussian-norm", "norm": 0.1}}]}
                """.formatted(set.path("id").asText()));
        String id = created.path("id").asText();
        long deadline = System.nanoTime() + JOB_DEADLINE.toNanos();
        JsonNode progress = get("/api/v1/experiments/" + id).path("progress");
        while (progress.path("done").asInt() < progress.path("total").asInt() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            progress = get("/api/v1/experiments/" + id).path("progress");
        }
        assertEquals(4, progress.path("succeeded").asInt(), "2 images x 2 ratios, all solved: " + progress);
        return id;
    }

    private static JsonNode post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private static JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return send(key, request);
    }

    private static JsonNode send(String apiKey, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                request.header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, response.statusCode() + " " + response.body());
        return JSON.readTree(response.body());
    }

    private static URI uri(String path) {
        return system.api().base().resolve(path);
    }

    /** Smooth stripes with a seed-dependent phase: something a sparsity prior can recover in part. */
    private static Image texture(int height, int width, int seed) {
        float[] values = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                values[y * width + x] = (float) (0.5 + 0.4 * Math.sin((x + 2 * y + seed) * 0.6));
            }
        }
        return new Image(new ImageShape(1, height, width), values);
    }
}
