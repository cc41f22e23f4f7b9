package io.flowrecon.shared.model;

import io.flowrecon.shared.job.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelBundleTest {

    private static ModelCard glowCard() {
        return new ModelCard("celeba32-glow", "glow", "celeba", "train", new ImageShape(3, 32, 32), 3072,
                ModelCard.ValueRange.UNIT, Map.of("levels", 3, "depth", 8, "hiddenChannels", 128),
                Map.of("steps", 20000, "imagesSeen", 1280000, "machine", "H200", "command", "flowrecon-train glow"),
                3.71, Map.of(), Instant.parse("2026-11-29T12:00:00Z"));
    }

    private static Path writeFiles(Path dir) throws IOException {
        Files.write(dir.resolve(ModelBundle.GENERATOR), new byte[]{1, 2, 3});
        Files.write(dir.resolve(ModelBundle.ENCODER), new byte[]{4, 5, 6});
        return dir;
    }

    @Test
    void cardJsonRoundTrips() {
        ModelCard card = glowCard().withFiles(Map.of("generator.onnx", "a".repeat(64)));
        ModelCard back = ModelCard.fromJson(card.toJson());
        assertEquals(card, back);
        assertEquals(card.toJson(), back.toJson(), "canonical");
        assertTrue(card.toJson().contains("\"imageShape\" : [ 3, 32, 32 ]"), card.toJson());
    }

    @Test
    void cardParsesTheDocumentedFormat() {
        ModelCard card = ModelCard.fromJson("""
                {"id": "mnist-dcgan", "kind": "dcgan", "dataset": "mnist", "split": "train", "imageShape": [1, 28, 28],
                 "latentSize": 100, "valueRange": [0, 1], "architecture": {"base": 64},
                 "training": {"steps": 10, "wallSeconds": 12.5}, "testBitsPerDim": null,
                 "files": {"generator.onnx": "%s"}, "createdAt": "2026-11-29T12:00:00Z"}
                """.formatted("0".repeat(64)));
        assertEquals(new ImageShape(1, 28, 28), card.imageShape());
        assertEquals(100, card.latentSize());
        assertEquals(null, card.testBitsPerDim());
        assertEquals(12.5, card.training().get("wallSeconds"));
    }

    @Test
    void cardErrorsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.fromJson("{\"id\": \"x\", \"kind\": \"glow\", \"imageShape\": [3, 32]}"));
        assertTrue(e.getMessage().contains("imageShape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromJson("{\"kind\": \"glow\"}"));
        assertTrue(e.getMessage().contains("id is required"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.fromJson("{\"id\": \"x\", \"kind\": \"glow\", \"files\": {\"g.onnx\": \"abc\"}}"));
        assertTrue(e.getMessage().contains("files.g.onnx"), e.getMessage());
    }

    @Test
    void writeThenReadVerifiesHashes(@TempDir Path dir) throws IOException {
        writeFiles(dir);
        ModelBundle written = ModelBundle.write(dir, glowCard(), List.of(ModelBundle.GENERATOR, ModelBundle.ENCODER));
        assertEquals(Sha256.hex(new byte[]{1, 2, 3}), written.card().files().get(ModelBundle.GENERATOR));
        assertTrue(ModelBundle.isBundle(dir));

        ModelBundle read = ModelBundle.read(dir);
        assertEquals(written.card(), read.card());
        assertEquals(written.bundleHash(), read.bundleHash());
        assertEquals(dir.toAbsolutePath().normalize(), read.dir());
        assertFalse(Files.exists(dir.resolve("model.json.tmp")));
    }

    @Test
    void readRejectsAChangedFile(@TempDir Path dir) throws IOException {
        ModelBundle.write(writeFiles(dir), glowCard(), List.of(ModelBundle.GENERATOR, ModelBundle.ENCODER));
        Files.write(dir.resolve(ModelBundle.ENCODER), new byte[]{4, 5, 7});
        ModelBundleException e = assertThrows(ModelBundleException.class, () -> ModelBundle.read(dir));
        assertTrue(e.getMessage().contains("encoder.onnx has sha256"), e.getMessage());
    }

    @Test
    void readRejectsAMissingFileOrCard(@TempDir Path dir) throws IOException {
        ModelBundleException e = assertThrows(ModelBundleException.class, () -> ModelBundle.read(dir));
        assertTrue(e.getMessage().contains("model.json is missing"), e.getMessage());
        ModelBundle.write(writeFiles(dir), glowCard(), List.of(ModelBundle.GENERATOR, ModelBundle.ENCODER));
        Files.delete(dir.resolve(ModelBundle.GENERATOR));
        e = assertThrows(ModelBundleException.class, () -> ModelBundle.read(dir));
        assertTrue(e.getMessage().contains("generator.onnx is listed in model.json but missing"), e.getMessage());
    }

    @Test
    void bundleHashFollowsTheWeightsNotTheProse(@TempDir Path dir) throws IOException {
        ModelBundle a = ModelBundle.write(writeFiles(dir), glowCard(), List.of(ModelBundle.GENERATOR, ModelBundle.ENCODER));
        ModelCard reworded = new ModelCard("celeba32-glow", "glow", "celeba (aligned)", "train", new ImageShape(3, 32, 32),
                3072, null, null, null, null, a.card().files(), null);
        assertEquals(a.bundleHash(), ModelBundle.bundleHash(reworded));
        Files.write(dir.resolve(ModelBundle.GENERATOR), new byte[]{9});
        ModelBundle b = ModelBundle.write(dir, glowCard(), List.of(ModelBundle.GENERATOR, ModelBundle.ENCODER));
        assertNotEquals(a.bundleHash(), b.bundleHash());
    }

    @Test
    void builtinLassoHashIsStable() {
        assertEquals(BuiltinModels.lassoDct().sha256(), BuiltinModels.lassoDct().sha256());
        assertEquals(BuiltinModels.lassoDct(), ModelCard.fromJson(BuiltinModels.lassoDct().toJson()));
        assertEquals(null, BuiltinModels.lassoDct().imageShape());
    }
}
