package io.flowrecon.shared.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.ImageFormatException;
import io.flowrecon.shared.image.Png;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * The binary inputs of a submission: a base64 PNG truth or measurement image, or a measurement vector (a JSON
 * array or base64 float32), with its image shape; images are size-checked from their header before decoding.
 */
final class InputsReader {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private InputsReader() {
    }

    /** Binary inputs as decoded; {@code shape} is null when it could not be determined. */
    static final class Inputs {
        byte[] truthPng;
        byte[] measurementPng;
        float[] values;
        String valuesField;
        ImageShape shape;
    }

    static Inputs readInputs(JsonNode body, String problemKind, ModelLookup.ModelInfo model, JsonChecks c) {
        Inputs in = new Inputs();
        JsonNode truth = body.get("truth");
        JsonNode measurements = body.get("measurements");
        if (truth != null && measurements != null) {
            c.add("measurements", "give either truth or measurements, not both");
            return in;
        }
        if (truth == null && measurements == null) {
            c.add("truth", "is required: give truth (an image to simulate measurements from) or measurements");
            return in;
        }
        if (truth != null) {
            if (c.object(truth, "truth")) {
                c.allowOnly(truth, "truth", List.of("png"));
                DecodedPng png = readPng(truth.get("png"), "truth.png", c);
                if (png != null) {
                    in.truthPng = png.bytes();
                    in.shape = checkModelShape(png.image().shape(), "truth.png", model, c);
                }
            }
            return in;
        }
        if (!c.object(measurements, "measurements") || problemKind == null) {
            return in;
        }
        if (problemKind.equals("compressive-sensing")) {
            readMeasurementVector(measurements, model, in, c);
        } else {
            c.allowOnly(measurements, "measurements", List.of("png"));
            if (measurements.get("png") == null) {
                c.add("measurements.png", "is required: " + problemKind + " measurements are an image");
                return in;
            }
            DecodedPng png = readPng(measurements.get("png"), "measurements.png", c);
            if (png != null) {
                in.measurementPng = png.bytes();
                in.shape = checkModelShape(png.image().shape(), "measurements.png", model, c);
            }
        }
        return in;
    }

    private static void readMeasurementVector(JsonNode measurements, ModelLookup.ModelInfo model, Inputs in, JsonChecks c) {
        if (measurements.has("png")) {
            c.add("measurements.png", "compressive-sensing measurements are a vector y of length m:"
                    + " give values or float32, with shape");
            return;
        }
        c.allowOnly(measurements, "measurements", List.of("values", "float32", "shape"));
        JsonNode values = measurements.get("values");
        JsonNode float32 = measurements.get("float32");
        if (values != null && float32 != null) {
            c.add("measurements", "give either values or float32, not both");
        } else if (values == null && float32 == null) {
            c.add("measurements.values", "is required: give values (a JSON array) or float32 (base64, little-endian)");
        } else if (values != null) {
            in.valuesField = "measurements.values";
            in.values = readFloatArray(values, c);
        } else {
            in.valuesField = "measurements.float32";
            in.values = readFloat32(float32, c);
        }
        JsonNode shapeNode = measurements.get("shape");
        if (shapeNode == null) {
            if (model != null && model.imageShape() != null) {
                in.shape = model.imageShape();
            } else if (model != null) {
                c.add("measurements.shape", "is required: [C, H, W] of the image to recover (model "
                        + model.id() + " takes any shape)");
            }
            return;
        }
        ImageShape shape = readShape(shapeNode, "measurements.shape", c);
        if (shape != null) {
            in.shape = checkModelShape(shape, "measurements.shape", model, c);
        }
    }

    private static float[] readFloatArray(JsonNode node, JsonChecks c) {
        if (!node.isArray() || node.isEmpty()) {
            c.add("measurements.values", "must be a non-empty array of numbers");
            return null;
        }
        float[] out = new float[node.size()];
        int bad = 0;
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            String rule = !v.isNumber() ? "must be a number"
                    : !Float.isFinite((float) v.doubleValue()) ? "must be finite (as float32)" : null;
            if (rule == null) {
                out[i] = (float) v.doubleValue();
            } else if (++bad <= SpecLimits.MAX_VALUE_VIOLATIONS) {
                c.add("measurements.values[" + i + "]", rule);
            } else {
                c.add("measurements.values", "more values are not finite numbers; only the first "
                        + SpecLimits.MAX_VALUE_VIOLATIONS + " are listed");
                break;
            }
        }
        return bad == 0 ? out : null;
    }

    private static float[] readFloat32(JsonNode node, JsonChecks c) {
        String field = "measurements.float32";
        if (!node.isTextual()) {
            c.add(field, "must be a base64 string of float32 little-endian values");
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(node.asText());
        } catch (IllegalArgumentException e) {
            c.add(field, "not valid base64");
            return null;
        }
        if (bytes.length == 0 || bytes.length % Float.BYTES != 0) {
            c.add(field, "must hold float32 values: " + bytes.length + " bytes is not a positive multiple of 4");
            return null;
        }
        float[] out = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) {
                c.add(field, "must be finite: value " + i + " is " + out[i]);
                return null;
            }
        }
        return out;
    }

    static ImageShape readShape(JsonNode node, String field, JsonChecks c) {
        if (!node.isArray() || node.size() != 3) {
            c.add(field, "must be [C, H, W], three integers");
            return null;
        }
        for (JsonNode v : node) {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                c.add(field, "must be [C, H, W], three integers");
                return null;
            }
        }
        int channels = node.get(0).intValue();
        int height = node.get(1).intValue();
        int width = node.get(2).intValue();
        if (channels != 1 && channels != 3) {
            c.add(field, "channels must be 1 (grey) or 3 (RGB), got " + channels);
            return null;
        }
        if (height < 1 || width < 1) {
            c.add(field, "height and width must be positive");
            return null;
        }
        if (height > SpecLimits.MAX_IMAGE_SIDE || width > SpecLimits.MAX_IMAGE_SIDE) {
            c.add(field, tooLarge(height, width));
            return null;
        }
        return new ImageShape(channels, height, width);
    }

    /** A PNG as uploaded (stored as is) and as decoded (for its shape). */
    private record DecodedPng(byte[] bytes, Image image) {
    }

    /** Decodes a base64 PNG, refusing oversized images before their pixels are inflated. */
    private static DecodedPng readPng(JsonNode node, String field, JsonChecks c) {
        if (node == null) {
            c.add(field, "is required: a base64-encoded PNG image");
            return null;
        }
        if (!node.isTextual()) {
            c.add(field, "must be a base64 string of a PNG image");
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(node.asText());
        } catch (IllegalArgumentException e) {
            c.add(field, "not valid base64");
            return null;
        }
        if (bytes.length < 24 || !startsWith(bytes, PNG_SIGNATURE)) {
            c.add(field, "not a PNG image: the PNG signature is missing");
            return null;
        }
        // IHDR is always the first chunk: width and height are big-endian at offsets 16 and 20.
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        long width = Integer.toUnsignedLong(header.getInt(16));
        long height = Integer.toUnsignedLong(header.getInt(20));
        if (width > SpecLimits.MAX_IMAGE_SIDE || height > SpecLimits.MAX_IMAGE_SIDE) {
            c.add(field, tooLarge(height, width));
            return null;
        }
        try {
            return new DecodedPng(bytes, Png.decode(bytes));
        } catch (ImageFormatException e) {
            c.add(field, "not a PNG image: " + e.getMessage());
        } catch (RuntimeException e) {
            c.add(field, "not a PNG image: it cannot be decoded");
        }
        return null;
    }

    private static String tooLarge(long height, long width) {
        return "image too large: at most " + SpecLimits.MAX_IMAGE_SIDE + "x" + SpecLimits.MAX_IMAGE_SIDE + " pixels, got "
                + width + "x" + height + " (width x height)";
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static ImageShape checkModelShape(ImageShape shape, String field, ModelLookup.ModelInfo model, JsonChecks c) {
        String rule = JobSpecValidator.imageShapeForModel(shape, model);
        if (rule != null) {
            c.add(field, rule);
        }
        return shape;
    }
}
