package io.flowrecon.api.imageset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.api.support.TestKeys;
import io.flowrecon.api.support.InfrastructureResource;
import io.flowrecon.api.support.TestJobs;
import io.flowrecon.shared.image.CelebaFaces;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class ImageSetResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ConfiguredImageSets configured;

    @Inject
    DataSource dataSource;

    /** A PNG whose values depend on {@code seed}, so that entries are told apart by their bytes. */
    private static byte[] png(int channels, int side, int seed) {
        float[] values = new float[channels * side * side];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((i * 7 + seed * 13) % 17) / 16f;
        }
        return Png.encode(new Image(new ImageShape(channels, side, side), values));
    }

    private static Response postJson(String owner, Object body) {
        return TestKeys.as(owner).contentType(ContentType.JSON).body(body.toString())
                .when().post("/api/v1/image-sets");
    }

    private static ObjectNode jsonSet(String name, byte[]... pngs) {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        ArrayNode images = body.putArray("images");
        for (int i = 0; i < pngs.length; i++) {
            images.addObject().put("name", "face" + i + ".png").put("png", Base64.getEncoder().encodeToString(pngs[i]));
        }
        return body;
    }

    @Test
    void aJsonUploadIsStoredAndServedBackByIndexWithItsShapeAndHashes() {
        String owner = TestJobs.uniqueOwner();
        byte[][] pngs = {png(3, 8, 1), png(3, 8, 2), png(3, 8, 3)};
        Response created = postJson(owner, jsonSet("faces", pngs));
        created.then().statusCode(201).body("name", equalTo("faces")).body("count", equalTo(3))
                .body("shape", equalTo(List.of(3, 8, 8))).body("source", equalTo("upload"))
                .header("Location", containsString("/api/v1/image-sets/"));
        String id = created.jsonPath().getString("id");

        TestKeys.as(owner).get("/api/v1/image-sets/" + id).then().statusCode(200)
                .body("set.count", equalTo(3)).body("images", hasSize(3))
                .body("images[1].name", equalTo("face1.png"))
                .body("images[1].sha256", equalTo(ImageSetChecker.sha256(pngs[1])))
                .body("images[2].thumbnail", containsString("/thumbnails/2"));
        for (int i = 0; i < pngs.length; i++) {
            byte[] served = TestKeys.as(owner).get("/api/v1/image-sets/" + id + "/images/" + i)
                    .then().statusCode(200).contentType("image/png").extract().asByteArray();
            assertArrayEquals(pngs[i], served, "image " + i + " comes back byte for byte");
        }
        byte[] thumbnail = TestKeys.as(owner).get("/api/v1/image-sets/" + id + "/thumbnails/0")
                .then().statusCode(200).extract().asByteArray();
        Image small = Png.decode(thumbnail);
        assertEquals(Thumbnails.SIDE, small.height(), "an 8-pixel image is repeated up to the thumbnail side");
        assertEquals(Png.decode(pngs[0]).get(1, 0, 0), small.get(1, 0, 0), "repeated pixels keep their values");
        TestKeys.as(owner).get("/api/v1/image-sets/" + id + "/images/3").then().statusCode(404)
                .body("message", containsString("0..2"));
        TestKeys.as(owner).get("/api/v1/image-sets").then().statusCode(200)
                .body("imageSets.id", hasItem(id));
    }

    @Test
    void everyBadEntryIsNamedInOne400() {
        ObjectNode body = jsonSet("mixed", png(3, 8, 1), "not an image".getBytes(), png(3, 16, 2), png(1, 8, 3));
        ((ArrayNode) body.get("images")).add("%%% not base64 %%%");
        postJson(TestJobs.uniqueOwner(), body).then().statusCode(400).body("error", equalTo("invalid-image-set"))
                .body("violations", hasSize(4))
                .body("violations[0].field", equalTo("images[1].png"))
                .body("violations[0].rule", containsString("not a PNG"))
                .body("violations[1].field", equalTo("images[2].png"))
                .body("violations[1].rule", containsString("3x16x16 differs from the set's 3x8x8"))
                .body("violations[2].field", equalTo("images[3].png"))
                .body("violations[3].field", equalTo("images[4]"))
                .body("violations[3].rule", containsString("base64"));
        ObjectNode empty = JSON.createObjectNode().put("name", "empty");
        empty.putArray("images");
        postJson(TestJobs.uniqueOwner(), empty).then().statusCode(400).body("violations[0].field", equalTo("images"));
        postJson(TestJobs.uniqueOwner(), jsonSet("bad name!", png(1, 8, 1))).then().statusCode(400)
                .body("violations[0].field", equalTo("name"));
        postJson(TestJobs.uniqueOwner(), "{\"name\": ").then().statusCode(400).body("error", equalTo("malformed-json"));
    }

    @Test
    void setsAreOwnedAndNamesAreUniquePerOwner() {
        String alice = TestJobs.uniqueOwner();
        String bob = TestJobs.uniqueOwner();
        String id = postJson(alice, jsonSet("private", png(1, 8, 1))).then().statusCode(201)
                .extract().jsonPath().getString("id");
        TestKeys.as(bob).get("/api/v1/image-sets/" + id).then().statusCode(404);
        TestKeys.as(bob).get("/api/v1/image-sets/" + id + "/images/0").then().statusCode(404);
        TestKeys.as(bob).get("/api/v1/image-sets").then().body("imageSets.id", not(hasItem(id)));
        postJson(alice, jsonSet("private", png(1, 8, 2))).then().statusCode(409).body("message", containsString("private"));
        postJson(bob, jsonSet("private", png(1, 8, 2))).then().statusCode(201);
    }

    @Test
    void zipAndTarGzArchivesAreReadInEntryNameOrderSkippingFoldersAndHiddenFiles() throws IOException {
        String owner = TestJobs.uniqueOwner();
        byte[] a = png(1, 8, 1);
        byte[] b = png(1, 8, 2);
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            zip.putNextEntry(new ZipEntry("set/"));
            zip.closeEntry();
            for (Object[] entry : new Object[][] {{"set/b.png", b}, {"set/a.png", a}, {"__MACOSX/set/._a.png", new byte[] {1}},
                    {"set/.DS_Store", new byte[] {2}}}) {
                zip.putNextEntry(new ZipEntry((String) entry[0]));
                zip.write((byte[]) entry[1]);
                zip.closeEntry();
            }
        }
        String zipId = TestKeys.as(owner).contentType("application/zip").body(zipBytes.toByteArray())
                .post("/api/v1/image-sets?name=zipped").then().statusCode(201).body("count", equalTo(2))
                .extract().jsonPath().getString("id");
        TestKeys.as(owner).get("/api/v1/image-sets/" + zipId).then()
                .body("images.name", equalTo(List.of("a.png", "b.png")));

        ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(tarBytes))) {
            for (Object[] entry : new Object[][] {{"x/2.png", b}, {"x/1.png", a}, {"x/3.txt", "text".getBytes()}}) {
                TarArchiveEntry tarEntry = new TarArchiveEntry((String) entry[0]);
                tarEntry.setSize(((byte[]) entry[1]).length);
                tar.putArchiveEntry(tarEntry);
                tar.write((byte[]) entry[1]);
                tar.closeArchiveEntry();
            }
        }
        TestKeys.as(owner).contentType("application/gzip").body(tarBytes.toByteArray())
                .post("/api/v1/image-sets?name=tarred").then().statusCode(400)
                .body("violations", hasSize(1)).body("violations[0].field", equalTo("archive:x/3.txt"))
                .body("violations[0].rule", containsString("3.txt: not a PNG"));
        TestKeys.as(owner).contentType("application/zip").body(new byte[] {1, 2, 3})
                .post("/api/v1/image-sets?name=broken").then().statusCode(400)
                .body("violations[0].field", equalTo("archive"));
        TestKeys.as(owner).contentType("application/zip").body(zipBytes.toByteArray())
                .post("/api/v1/image-sets").then().statusCode(400)
                .body("violations[0].field", equalTo("name (query parameter)"));
    }

    @Test
    void aConfiguredFolderBecomesASetEveryOwnerSeesAndReloadingItChangesNothing(@TempDir Path folder) throws Exception {
        Files.write(folder.resolve("b.png"), png(3, 40, 2));
        Files.write(folder.resolve("a.png"), png(3, 40, 1));
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        String name = "configured-" + folder.getFileName().toString().toLowerCase().replaceAll("[^a-z0-9]", "");
        FolderRecipe recipe = new FolderRecipe(name, folder, "plain", "test", 16, 10);
        assertTrue(configured.load(recipe), "first load writes the set");
        assertFalse(configured.load(recipe), "an unchanged folder and recipe are not loaded twice");

        Response list = TestKeys.as(TestJobs.uniqueOwner()).get("/api/v1/image-sets");
        List<String> names = list.jsonPath().getList("imageSets.name");
        int at = names.indexOf(name);
        assertTrue(at >= 0, "a configured set is visible to any owner: " + names);
        assertEquals(List.of(3, 16, 16), list.jsonPath().getList("imageSets[" + at + "].shape"));
        assertEquals(2, list.jsonPath().getInt("imageSets[" + at + "].count"), "the text file is not an image");
        assertTrue(list.jsonPath().getString("imageSets[" + at + "].source").contains("recipe=plain"));

        assertTrue(configured.load(new FolderRecipe(name, folder, "plain", "test", 8, 10)),
                "a changed recipe replaces the set");
        Response again = TestKeys.as(TestJobs.uniqueOwner()).get("/api/v1/image-sets");
        List<String> after = again.jsonPath().getList("imageSets.name");
        assertEquals(1, after.stream().filter(name::equals).count(), "replaced, not duplicated");
        assertFalse(configured.load(new FolderRecipe("absent", folder.resolve("missing"), "plain", "test", 0, 5)),
                "a missing folder is skipped");
    }

    @Test
    void aJobTakesItsTruthFromAnImageSetEntryAndRecordsWhichOne() throws Exception {
        String owner = TestJobs.uniqueOwner();
        byte[][] pngs = {png(1, 16, 1), png(1, 16, 2)};
        String set = postJson(owner, jsonSet("refs", pngs)).then().statusCode(201).extract().jsonPath().getString("id");
        ObjectNode job = TestJobs.lassoJob(64);
        job.putObject("truth").put("imageSet", set).put("index", 1);
        String id = TestKeys.as(owner).contentType(ContentType.JSON).body(job.toString())
                .post("/api/v1/jobs").then().statusCode(202).extract().jsonPath().getString("id");
        byte[] truth = TestKeys.as(owner).get("/api/v1/jobs/" + id + "/image?kind=truth")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(pngs[1], truth, "the job's truth is the set's image 1");
        try (var c = dataSource.getConnection();
             var s = c.prepareStatement("select image_set_id::text, image_index from jobs where id = ?::uuid")) {
            s.setString(1, id);
            try (var rows = s.executeQuery()) {
                assertTrue(rows.next());
                assertEquals(set, rows.getString(1));
                assertEquals(1, rows.getInt(2));
            }
        }
        job.putObject("truth").put("imageSet", set).put("index", 2);
        TestKeys.as(owner).contentType(ContentType.JSON).body(job.toString()).post("/api/v1/jobs")
                .then().statusCode(400).body("violations[0].field", equalTo("truth.index"))
                .body("violations[0].rule", containsString("0..1"));
        job.putObject("truth").put("imageSet", set).put("index", 0);
        TestKeys.as(TestJobs.uniqueOwner()).contentType(ContentType.JSON).body(job.toString())
                .post("/api/v1/jobs").then().statusCode(400).body("violations[0].field", equalTo("truth.imageSet"));
    }

    /** The data folder: FLOWRECON_DATA, else the folder beside the repository (tests run in api/). */
    private static Path dataFolder() {
        String configured = System.getenv("FLOWRECON_DATA");
        return configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "data");
    }

    @Test
    void theCelebaRecipeMakesTheTestSplitFacesTheTrainerAndDemosUse() throws Exception {
        Path celeba = dataFolder().resolve("celeba");
        Assumptions.assumeTrue(Files.isDirectory(celeba), "CelebA not at " + celeba.toAbsolutePath());
        FolderRecipe recipe = new FolderRecipe("celeba-test-" + System.nanoTime(), celeba, "celeba", "test", 32, 3);
        configured.load(recipe);
        Response list = TestKeys.as(TestJobs.uniqueOwner()).get("/api/v1/image-sets");
        int at = list.jsonPath().getList("imageSets.name").indexOf(recipe.name());
        String id = list.jsonPath().getString("imageSets[" + at + "].id");
        TestKeys.as(TestJobs.uniqueOwner()).get("/api/v1/image-sets/" + id).then().statusCode(200).body("set.count", equalTo(3))
                .body("set.shape", equalTo(List.of(3, 32, 32)))
                .body("images.name", equalTo(List.of("009001.jpg", "009002.jpg", "009003.jpg")));
        byte[] first = TestKeys.as(TestJobs.uniqueOwner()).get("/api/v1/image-sets/" + id + "/images/0").then().statusCode(200)
                .extract().asByteArray();
        Image expected = CelebaFaces.face(celeba.resolve("009001.jpg"), 32);
        Image served = Png.decode(first);
        float worst = 0;
        for (int k = 0; k < expected.values().length; k++) {
            worst = Math.max(worst, Math.abs(expected.values()[k] - served.values()[k]));
        }
        // The recipe rounds to 8-bit levels and a PNG stores exactly those: equal to float rounding.
        assertTrue(worst < 1e-6f, "served face differs from the recipe's by " + worst);
    }
}
