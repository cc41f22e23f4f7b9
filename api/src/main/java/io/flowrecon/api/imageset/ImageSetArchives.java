package io.flowrecon.api.imageset;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads the entries of an upload: a JSON list of base64 PNGs, or a zip, tar or tar.gz archive of PNG files.
 * Archive entries are ordered by name, so a set's indices follow its file names; folders, hidden files and
 * the {@code __MACOSX} side folder are skipped. Nothing is decoded here (that is {@link ImageSetChecker}'s job);
 * an entry larger than the per-image limit is cut at the limit plus one byte so that the checker can name it
 * without this method holding a huge entry in memory.
 */
final class ImageSetArchives {

    /** Archive formats by request content type. */
    enum Format {
        ZIP, TAR, TAR_GZ;

        static Format ofContentType(String contentType) {
            String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
            if (type.startsWith("application/zip") || type.startsWith("application/x-zip-compressed")) {
                return ZIP;
            }
            if (type.startsWith("application/x-tar") || type.startsWith("application/tar")) {
                return TAR;
            }
            if (type.startsWith("application/gzip") || type.startsWith("application/x-gzip")
                    || type.startsWith("application/x-compressed-tar")) {
                return TAR_GZ;
            }
            return null;
        }
    }

    private ImageSetArchives() {
    }

    /**
     * {@code {"name": ..., "images": [{"name": "a.png", "png": BASE64} | BASE64, ...]}}; the entries are kept in
     * the order given.
     */
    static List<ImageSetEntry> fromJson(JsonNode images, int maxImages) {
        if (images == null || !images.isArray() || images.isEmpty()) {
            throw InvalidImageSetException.of("images",
                    "required: a non-empty list of base64 PNGs (strings, or objects {\"name\": ..., \"png\": ...})");
        }
        if (images.size() > maxImages) {
            throw InvalidImageSetException.of("images", "at most " + maxImages + " images per set, got " + images.size());
        }
        List<ImageSetEntry> entries = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            JsonNode image = images.get(i);
            String field = "images[" + i + "]";
            String name = String.format(Locale.ROOT, "%06d.png", i);
            JsonNode png = image;
            if (image.isObject()) {
                JsonNode given = image.get("name");
                if (given != null && !given.isNull()) {
                    if (!given.isTextual() || given.asText().isBlank() || given.asText().length() > 200) {
                        entries.add(ImageSetEntry.unreadable(field + ".name",
                                "must be a non-empty string of at most 200 characters"));
                        continue;
                    }
                    name = given.asText();
                }
                png = image.get("png");
                field = field + ".png";
            }
            if (png == null || !png.isTextual()) {
                entries.add(ImageSetEntry.unreadable(field, "required: a base64-encoded PNG string"));
                continue;
            }
            try {
                entries.add(new ImageSetEntry(field, name, Base64.getMimeDecoder().decode(png.asText())));
            } catch (IllegalArgumentException e) {
                entries.add(ImageSetEntry.unreadable(field, "is not valid base64: " + e.getMessage()));
            }
        }
        return entries;
    }

    /** The image entries of an archive, ordered by entry name. */
    static List<ImageSetEntry> fromArchive(InputStream body, Format format, ImageSetLimits limits) {
        List<ImageSetEntry> entries = new ArrayList<>();
        try (ArchiveInputStream<? extends ArchiveEntry> archive = open(body, format)) {
            ArchiveEntry entry;
            while ((entry = archive.getNextEntry()) != null) {
                if (entry.isDirectory() || skipped(entry.getName())) {
                    continue;
                }
                if (entries.size() == limits.maxImages()) {
                    throw InvalidImageSetException.of("archive",
                            "at most " + limits.maxImages() + " images per set; the archive has more");
                }
                byte[] bytes = readAtMost(archive, limits.maxImageBytes() + 1);
                entries.add(new ImageSetEntry("archive:" + entry.getName(), baseName(entry.getName()), bytes));
            }
        } catch (IOException e) {
            throw InvalidImageSetException.of("archive", "is not a readable " + format.name().toLowerCase(Locale.ROOT)
                    .replace('_', '.') + " archive: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw InvalidImageSetException.of("archive", "holds no image files");
        }
        entries.sort(Comparator.comparing(ImageSetEntry::field));
        return entries;
    }

    private static ArchiveInputStream<? extends ArchiveEntry> open(InputStream body, Format format) throws IOException {
        InputStream in = new BufferedInputStream(body);
        return switch (format) {
            case ZIP -> new ZipArchiveInputStream(in);
            case TAR -> new TarArchiveInputStream(in);
            case TAR_GZ -> new TarArchiveInputStream(new GzipCompressorInputStream(in));
        };
    }

    private static boolean skipped(String path) {
        String name = baseName(path);
        return name.isEmpty() || name.startsWith(".") || path.startsWith("__MACOSX/") || path.contains("/__MACOSX/");
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int read;
        while (total < limit && (read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total))) > 0) {
            out.write(buffer, 0, read);
            total += read;
        }
        return out.toByteArray();
    }
}
