package io.flowrecon.api.imageset;

import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.ImageFormatException;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.ImageShape;
import io.flowrecon.shared.job.SpecViolation;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Checks every entry of an upload and reports all that are wrong at once: not a PNG, too many bytes, too
 * large, a channel count the priors do not have, or a shape other than the first image's (a set is one shape,
 * so that one prior and one operator fit all of it).
 */
final class ImageSetChecker {

    /** One accepted image: its entry name, the PNG as uploaded, and the sha256 of those bytes. */
    record CheckedImage(String name, byte[] png, String sha256) {
    }

    record CheckedSet(ImageShape shape, List<CheckedImage> images) {
    }

    private final ImageSetLimits limits;

    ImageSetChecker(ImageSetLimits limits) {
        this.limits = limits;
    }

    CheckedSet check(List<ImageSetEntry> entries) {
        List<SpecViolation> violations = new ArrayList<>();
        if (entries.size() > limits.maxImages()) {
            violations.add(new SpecViolation("images", "at most " + limits.maxImages() + " images per set, got "
                    + entries.size()));
            throw new InvalidImageSetException(violations);
        }
        List<CheckedImage> images = new ArrayList<>(entries.size());
        ImageShape shape = null;
        String shapeFrom = null;
        for (ImageSetEntry entry : entries) {
            if (entry.problem() != null) {
                violations.add(new SpecViolation(entry.field(), entry.problem()));
                continue;
            }
            String where = entry.field() + " (" + entry.name() + ")";
            if (entry.bytes().length > limits.maxImageBytes()) {
                violations.add(new SpecViolation(entry.field(), entry.name() + ": over the limit of "
                        + limits.maxImageBytes() + " bytes per image"));
                continue;
            }
            Image image;
            try {
                image = Png.decode(entry.bytes());
            } catch (ImageFormatException e) {
                violations.add(new SpecViolation(entry.field(), entry.name() + ": " + e.getMessage()));
                continue;
            }
            ImageShape own = image.shape();
            if (Math.max(own.height(), own.width()) > limits.maxSide()) {
                violations.add(new SpecViolation(entry.field(), entry.name() + ": " + own.height() + "x" + own.width()
                        + " pixels; at most " + limits.maxSide() + " pixels a side"));
                continue;
            }
            if (own.channels() != 1 && own.channels() != 3) {
                violations.add(new SpecViolation(entry.field(), entry.name() + ": " + own.channels()
                        + " channels; images must be grey (1) or RGB (3)"));
                continue;
            }
            if (shape == null) {
                shape = own;
                shapeFrom = where;
            } else if (!shape.equals(own)) {
                violations.add(new SpecViolation(entry.field(), entry.name() + ": shape " + text(own)
                        + " differs from the set's " + text(shape) + " (set by " + shapeFrom
                        + "); every image of a set has one shape"));
                continue;
            }
            images.add(new CheckedImage(entry.name(), entry.bytes(), sha256(entry.bytes())));
        }
        if (!violations.isEmpty()) {
            throw new InvalidImageSetException(violations);
        }
        return new CheckedSet(shape, images);
    }

    static String text(ImageShape shape) {
        return String.format(Locale.ROOT, "%dx%dx%d", shape.channels(), shape.height(), shape.width());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
