package io.flowrecon.shared.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * A prior on disk: a folder with {@code model.json} (the {@link ModelCard}) and the files the card
 * lists ({@code generator.onnx}, {@code encoder.onnx}, ...), each verified against its sha256.
 *
 * @param dir  the bundle folder, absolute
 * @param card the card, whose file hashes match the files
 */
public record ModelBundle(Path dir, ModelCard card) {

    public static final String GENERATOR = "generator.onnx";
    public static final String ENCODER = "encoder.onnx";

    /** Whether {@code dir} looks like a bundle (has a card); says nothing about its validity. */
    public static boolean isBundle(Path dir) {
        return Files.isRegularFile(dir.resolve(ModelCard.FILE_NAME));
    }

    /**
     * Reads the card and verifies every listed file's sha256.
     *
     * @throws ModelBundleException naming the bundle and the file that is missing or differs
     */
    public static ModelBundle read(Path dir) throws ModelBundleException {
        Path abs = dir.toAbsolutePath().normalize();
        Path cardFile = abs.resolve(ModelCard.FILE_NAME);
        ModelCard card;
        try {
            card = ModelCard.fromJson(Files.readString(cardFile, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ModelBundleException("model bundle " + abs + ": " + ModelCard.FILE_NAME + " is missing", e);
        } catch (IOException e) {
            throw new ModelBundleException("model bundle " + abs + ": cannot read " + ModelCard.FILE_NAME + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new ModelBundleException("model bundle " + abs + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, String> file : card.files().entrySet()) {
            String actual = hashOf(abs, file.getKey());
            if (!actual.equals(file.getValue())) {
                throw new ModelBundleException("model bundle " + abs + ": " + file.getKey() + " has sha256 " + actual
                        + " but " + ModelCard.FILE_NAME + " says " + file.getValue()
                        + " (the file changed after the card was written)");
            }
        }
        return new ModelBundle(abs, card);
    }

    /**
     * Hashes the named files (already in {@code dir}), puts their hashes into the card and writes
     * {@code model.json}. Trainers and prior builders call this last, after the ONNX files are written.
     */
    public static ModelBundle write(Path dir, ModelCard card, Collection<String> fileNames) throws ModelBundleException {
        Path abs = dir.toAbsolutePath().normalize();
        Map<String, String> hashes = new TreeMap<>();
        for (String name : fileNames) {
            if (name.equals(ModelCard.FILE_NAME)) {
                throw new ModelBundleException("model bundle " + abs + ": the card cannot list itself");
            }
            hashes.put(name, hashOf(abs, name));
        }
        ModelCard hashed = card.withFiles(hashes);
        try {
            Files.createDirectories(abs);
            Path tmp = abs.resolve(ModelCard.FILE_NAME + ".tmp");
            Files.writeString(tmp, hashed.toJson() + "\n", StandardCharsets.UTF_8);
            // Readers never see a half-written card.
            Files.move(tmp, abs.resolve(ModelCard.FILE_NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ModelBundleException("model bundle " + abs + ": cannot write " + ModelCard.FILE_NAME + ": " + e, e);
        }
        return new ModelBundle(abs, hashed);
    }

    /** The path of a file of the bundle, e.g. {@code file(GENERATOR)}. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * sha256 over the card's file hashes in name order ("name:sha256\n" each): identifies the
     * weights, not the card's prose, so that editing a description keeps the hash.
     */
    public String bundleHash() {
        return bundleHash(card);
    }

    /** {@link #bundleHash()} of a card, without touching the files. */
    public static String bundleHash(ModelCard card) {
        MessageDigest digest = Sha256.newDigest();
        for (Map.Entry<String, String> file : new TreeMap<>(card.files()).entrySet()) {
            digest.update((file.getKey() + ":" + file.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Sha256.hex(digest);
    }

    private static String hashOf(Path dir, String name) throws ModelBundleException {
        Path file = dir.resolve(name).normalize();
        if (!file.startsWith(dir)) {
            throw new ModelBundleException("model bundle " + dir + ": file name " + name + " leaves the bundle folder");
        }
        try {
            return Sha256.hexOfFile(file);
        } catch (NoSuchFileException e) {
            throw new ModelBundleException("model bundle " + dir + ": " + name + " is listed in "
                    + ModelCard.FILE_NAME + " but missing", e);
        } catch (IOException e) {
            throw new ModelBundleException("model bundle " + dir + ": cannot read " + name + ": " + e, e);
        }
    }
}
