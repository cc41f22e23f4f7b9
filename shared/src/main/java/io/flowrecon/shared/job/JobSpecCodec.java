package io.flowrecon.shared.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowrecon.shared.image.Image;
import io.flowrecon.shared.image.ImageFormatException;
import io.flowrecon.shared.image.Png;
import io.flowrecon.shared.job.Problem.CompressiveSensing;
import io.flowrecon.shared.job.Problem.Denoising;
import io.flowrecon.shared.job.Problem.Inpainting;
import io.flowrecon.shared.job.Problem.Mask;
import io.flowrecon.shared.job.Problem.Noise;
import io.flowrecon.shared.job.Problem.SensingOperator;
import io.flowrecon.shared.job.SolverSettings.Init;
import io.flowrecon.shared.model.ModelKinds;
import io.flowrecon.shared.model.Sha256;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The JSON form of a job: validation of a submission (wire format in DESIGN.md, "A job spec"),
 * the stored form of a validated spec (jobs.spec, jsonb, no binaries; the worker reads it),
 * and the spec hash.
 *
 * <p>The stored form is the wire form with every default filled in, no binaries, plus
 * {@code imageShape} ([C, H, W], the shape of the image to recover), because a measurement
 * vector alone does not say which image it came from.
 */
public final class JobSpecCodec {

    /** Largest accepted image side: keeps a request's decoded size and a job's solve time bounded. */
    public static final int MAX_IMAGE_SIDE = 512;
    /** A dense Gaussian A is generated in memory: 64M float32 entries are 256 MiB. */
    public static final long MAX_DENSE_ENTRIES = 64L * 1024 * 1024;
    public static final int MAX_STEPS = 100_000;
    public static final int MAX_RESTARTS = 64;
    /** A vector of a million bad values must not become a million-line answer. */
    static final int MAX_VALUE_VIOLATIONS = 10;
    public static final List<String> PROBLEM_KINDS = List.of("denoising", "compressive-sensing", "inpainting");
    public static final List<String> NOISE_KINDS = List.of("none", "gaussian", "gaussian-norm");
    public static final List<String> MASK_KINDS = List.of("center-block", "random-pixels");
    public static final List<String> OPTIMIZERS = List.of("fista", "lbfgs", "adam");
    public static final List<String> INIT_KINDS = List.of("zero", "random");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /**
     * Our own mapper, never a framework's: the stored form and the spec hash must not change with
     * another component's Jackson settings (indentation, number handling).
     */
    private final ObjectMapper mapper = new ObjectMapper();

    public JobSpecCodec() {
    }

    // ---------------------------------------------------------------- submission

    /**
     * Validates a submitted job and returns its spec (defaults filled in) and binary inputs.
     *
     * @throws InvalidSpecException listing every violation found
     */
    public Submission parseSubmission(JsonNode body, ModelLookup models) {
        if (body == null || !body.isObject()) {
            throw new InvalidSpecException(List.of(new SpecViolation("body", "must be a JSON object")));
        }
        Checks c = new Checks();
        c.allowOnly(body, "", List.of("model", "experiment", "problem", "truth", "measurements", "solver"));

        ModelLookup.ModelInfo model = readModel(body.get("model"), models, c);
        String experiment = readExperiment(body.get("experiment"), c);
        String problemKind = peekProblemKind(body.get("problem"));
        Inputs inputs = readInputs(body, problemKind, model, c);
        Problem problem = readProblem(body.get("problem"), inputs.shape, c);
        String modelKind = model == null ? null : model.kind();
        SolverSettings solver = readSolver(body.get("solver"), modelKind, c);

        if (problem instanceof CompressiveSensing cs && inputs.values != null && inputs.values.length != cs.m()) {
            c.add(inputs.valuesField, "has " + inputs.values.length + " values but problem.m = " + cs.m());
        }
        c.throwIfAny();
        JobSpec spec = new JobSpec(model.id(), problem, solver, experiment);
        return new Submission(spec, new JobInputs(inputs.truthPng, inputs.measurementPng, inputs.values, inputs.shape));
    }

    private static ModelLookup.ModelInfo readModel(JsonNode node, ModelLookup models, Checks c) {
        String id = c.text(node, "model", true);
        if (id == null) {
            return null;
        }
        var found = models.find(id);
        if (found.isEmpty()) {
            c.add("model", "unknown model '" + id + "'; registered: " + String.join(", ", models.ids()));
            return null;
        }
        return found.get();
    }

    private static String readExperiment(JsonNode node, Checks c) {
        String text = c.text(node, "experiment", false);
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text).toString();
        } catch (IllegalArgumentException e) {
            c.add("experiment", "must be an experiment id (a UUID), got '" + text + "'");
            return null;
        }
    }

    private static String peekProblemKind(JsonNode problem) {
        if (problem == null || !problem.isObject() || !problem.path("kind").isTextual()) {
            return null;
        }
        String kind = problem.get("kind").asText();
        return PROBLEM_KINDS.contains(kind) ? kind : null;
    }

    // ---------------------------------------------------------------- inputs

    /** Binary inputs as decoded; {@code shape} is null when it could not be determined. */
    private static final class Inputs {
        byte[] truthPng;
        byte[] measurementPng;
        float[] values;
        String valuesField;
        ImageShape shape;
    }

    private Inputs readInputs(JsonNode body, String problemKind, ModelLookup.ModelInfo model, Checks c) {
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

    private static void readMeasurementVector(JsonNode measurements, ModelLookup.ModelInfo model, Inputs in, Checks c) {
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

    private static float[] readFloatArray(JsonNode node, Checks c) {
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
            } else if (++bad <= MAX_VALUE_VIOLATIONS) {
                c.add("measurements.values[" + i + "]", rule);
            } else {
                c.add("measurements.values", "more values are not finite numbers; only the first "
                        + MAX_VALUE_VIOLATIONS + " are listed");
                break;
            }
        }
        return bad == 0 ? out : null;
    }

    private static float[] readFloat32(JsonNode node, Checks c) {
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

    private static ImageShape readShape(JsonNode node, String field, Checks c) {
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
        if (height > MAX_IMAGE_SIDE || width > MAX_IMAGE_SIDE) {
            c.add(field, tooLarge(height, width));
            return null;
        }
        return new ImageShape(channels, height, width);
    }

    /** A PNG as uploaded (stored as is) and as decoded (for its shape). */
    private record DecodedPng(byte[] bytes, Image image) {
    }

    /** Decodes a base64 PNG, refusing oversized images before their pixels are inflated. */
    private static DecodedPng readPng(JsonNode node, String field, Checks c) {
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
        if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
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
        return "image too large: at most " + MAX_IMAGE_SIDE + "x" + MAX_IMAGE_SIDE + " pixels, got "
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

    private static ImageShape checkModelShape(ImageShape shape, String field, ModelLookup.ModelInfo model, Checks c) {
        if (model != null && model.imageShape() != null && !model.imageShape().equals(shape)) {
            c.add(field, "image is " + shape + " but model " + model.id() + " takes " + model.imageShape());
        }
        return shape;
    }

    // ---------------------------------------------------------------- problem

    /** @param shape the image to recover, or null when unknown (then shape-dependent bounds are skipped) */
    private static Problem readProblem(JsonNode node, ImageShape shape, Checks c) {
        if (node == null) {
            c.add("problem", "is required: an object with kind " + String.join(" | ", PROBLEM_KINDS));
            return null;
        }
        if (!c.object(node, "problem")) {
            return null;
        }
        String kind = c.text(node.get("kind"), "problem.kind", true);
        if (kind == null) {
            return null;
        }
        switch (kind) {
            case "denoising" -> {
                c.allowOnly(node, "problem", List.of("kind", "noise"));
                Noise noise = readNoise(node.get("noise"), "problem.noise", c);
                return noise == null ? null : new Denoising(noise);
            }
            case "compressive-sensing" -> {
                c.allowOnly(node, "problem", List.of("kind", "m", "operator", "seed", "noise"));
                return readCompressiveSensing(node, shape, c);
            }
            case "inpainting" -> {
                c.allowOnly(node, "problem", List.of("kind", "mask", "noise"));
                Mask mask = readMask(node.get("mask"), shape, c);
                Noise noise = readNoise(node.get("noise"), "problem.noise", c);
                return mask == null || noise == null ? null : new Inpainting(mask, noise);
            }
            default -> {
                c.add("problem.kind", "unknown problem kind '" + kind + "'; allowed: " + String.join(", ", PROBLEM_KINDS));
                return null;
            }
        }
    }

    private static Problem readCompressiveSensing(JsonNode node, ImageShape shape, Checks c) {
        Integer m = null;
        JsonNode mNode = node.get("m");
        if (mNode == null) {
            c.add("problem.m", "is required: the number of measurements");
        } else if (!mNode.isIntegralNumber() || !mNode.canConvertToLong()) {
            c.add("problem.m", "must be an integer");
        } else {
            long value = mNode.longValue();
            long n = shape == null ? Integer.MAX_VALUE : shape.size();
            if (value < 1 || value > n) {
                // Without a readable image the bound n is unknown: say so rather than print a sentinel.
                c.add("problem.m", shape == null ? "must be between 1 and n, the number of image values"
                        : "must be between 1 and n = " + n + " (the image is " + shape + ")");
            } else {
                m = (int) value;
            }
        }
        SensingOperator operator = SensingOperator.GAUSSIAN;
        String operatorName = c.text(node.get("operator"), "problem.operator", false);
        if (operatorName != null) {
            operator = SensingOperator.fromWireName(operatorName);
            if (operator == null) {
                c.add("problem.operator", "unknown operator '" + operatorName + "'; allowed: gaussian, subsampled-dct");
            }
        }
        if (operator == SensingOperator.GAUSSIAN && m != null && shape != null
                && (long) m * shape.size() > MAX_DENSE_ENTRIES) {
            c.add("problem.operator", "dense gaussian operator limited to m*n <= 64M entries; use operator subsampled-dct"
                    + " (here m*n = " + (long) m * shape.size() + ")");
        }
        Long seed = c.seed(node.get("seed"), "problem.seed");
        Noise noise = readNoise(node.get("noise"), "problem.noise", c);
        if (m == null || operator == null || seed == null || noise == null) {
            return null;
        }
        return new CompressiveSensing(m, operator, seed, noise);
    }

    /** Absent noise means noiseless measurements. */
    private static Noise readNoise(JsonNode node, String field, Checks c) {
        if (node == null || node.isNull()) {
            return new Noise.None();
        }
        if (!c.object(node, field)) {
            return null;
        }
        String kind = c.text(node.get("kind"), field + ".kind", true);
        if (kind == null) {
            return null;
        }
        switch (kind) {
            case "none" -> {
                c.allowOnly(node, field, List.of("kind"));
                return new Noise.None();
            }
            case "gaussian" -> {
                c.allowOnly(node, field, List.of("kind", "std", "seed"));
                Double std = c.number(node.get("std"), field + ".std", true, 0.0, false, null);
                Long seed = c.seed(node.get("seed"), field + ".seed");
                return std == null || seed == null ? null : new Noise.Gaussian(std, seed);
            }
            case "gaussian-norm" -> {
                c.allowOnly(node, field, List.of("kind", "norm", "seed"));
                Double norm = c.number(node.get("norm"), field + ".norm", true, 0.0, false, null);
                Long seed = c.seed(node.get("seed"), field + ".seed");
                return norm == null || seed == null ? null : new Noise.GaussianNorm(norm, seed);
            }
            default -> {
                c.add(field + ".kind", "unknown noise kind '" + kind + "'; allowed: " + String.join(", ", NOISE_KINDS));
                return null;
            }
        }
    }

    private static Mask readMask(JsonNode node, ImageShape shape, Checks c) {
        String field = "problem.mask";
        if (node == null) {
            c.add(field, "is required for inpainting: an object with kind " + String.join(" | ", MASK_KINDS));
            return null;
        }
        if (!c.object(node, field)) {
            return null;
        }
        String kind = c.text(node.get("kind"), field + ".kind", true);
        if (kind == null) {
            return null;
        }
        switch (kind) {
            case "center-block" -> {
                c.allowOnly(node, field, List.of("kind", "size"));
                long side = shape == null ? Integer.MAX_VALUE : Math.min(shape.height(), shape.width());
                Long size = c.integer(node.get("size"), field + ".size", true, 1, side, null);
                return size == null ? null : new Mask.CenterBlock(size.intValue());
            }
            case "random-pixels" -> {
                c.allowOnly(node, field, List.of("kind", "missingFraction", "seed"));
                Double fraction = c.number(node.get("missingFraction"), field + ".missingFraction", true, 0.0, false, null);
                if (fraction != null && fraction >= 1.0) {
                    c.add(field + ".missingFraction", "must be less than 1 (some pixels must be observed)");
                    fraction = null;
                }
                Long seed = c.seed(node.get("seed"), field + ".seed");
                return fraction == null || seed == null ? null : new Mask.RandomPixels(fraction, seed);
            }
            default -> {
                c.add(field + ".kind", "unknown mask kind '" + kind + "'; allowed: " + String.join(", ", MASK_KINDS));
                return null;
            }
        }
    }

    // ---------------------------------------------------------------- solver

    /** @param modelKind selects the defaults; null when the model is unknown (then defaults are generic) */
    private static SolverSettings readSolver(JsonNode node, String modelKind, Checks c) {
        SolverSettings d = SolverSettings.defaultsFor(modelKind == null ? "" : modelKind);
        if (node == null || node.isNull()) {
            return d;
        }
        if (!c.object(node, "solver")) {
            return null;
        }
        c.allowOnly(node, "solver", List.of("optimizer", "steps", "lr", "gamma", "lambda", "restarts", "init"));
        String optimizer = d.optimizer();
        String given = c.text(node.get("optimizer"), "solver.optimizer", false);
        if (given != null) {
            optimizer = given.toLowerCase(Locale.ROOT);
            if (!OPTIMIZERS.contains(optimizer)) {
                c.add("solver.optimizer", "unknown optimizer '" + given + "'; allowed: " + String.join(", ", OPTIMIZERS));
                optimizer = null;
            } else if (modelKind != null && modelKind.equals(ModelKinds.LASSO_DCT) != optimizer.equals("fista")) {
                c.add("solver.optimizer", modelKind.equals(ModelKinds.LASSO_DCT)
                        ? "model kind lasso-dct is solved with fista; allowed: fista"
                        : "fista solves the lasso-dct baseline only; model kind " + modelKind + " allows: lbfgs, adam");
                optimizer = null;
            }
        }
        Long steps = c.integer(node.get("steps"), "solver.steps", false, 1, MAX_STEPS, (long) d.steps());
        Double lr = c.number(node.get("lr"), "solver.lr", false, 0.0, true, d.lr());
        Double gamma = c.number(node.get("gamma"), "solver.gamma", false, 0.0, false, d.gamma());
        Double lambda = c.number(node.get("lambda"), "solver.lambda", false, 0.0, false, d.lambda());
        Long restarts = c.integer(node.get("restarts"), "solver.restarts", false, 1, MAX_RESTARTS, (long) d.restarts());
        Init init = readInit(node.get("init"), d.init(), c);
        if (optimizer == null || steps == null || lr == null || gamma == null || lambda == null
                || restarts == null || init == null) {
            return null;
        }
        return new SolverSettings(optimizer, steps.intValue(), lr, gamma, lambda, restarts.intValue(), init);
    }

    private static Init readInit(JsonNode node, Init defaultInit, Checks c) {
        String field = "solver.init";
        if (node == null || node.isNull()) {
            return defaultInit;
        }
        if (!c.object(node, field)) {
            return null;
        }
        String kind = c.text(node.get("kind"), field + ".kind", true);
        if (kind == null) {
            return null;
        }
        switch (kind) {
            case "zero" -> {
                c.allowOnly(node, field, List.of("kind"));
                return new Init.Zero();
            }
            case "random" -> {
                c.allowOnly(node, field, List.of("kind", "std", "seed"));
                Double std = c.number(node.get("std"), field + ".std", false, 0.0, true, 1.0);
                Long seed = c.seed(node.get("seed"), field + ".seed");
                return std == null || seed == null ? null : new Init.RandomNormal(std, seed);
            }
            default -> {
                c.add(field + ".kind", "unknown init kind '" + kind + "'; allowed: " + String.join(", ", INIT_KINDS));
                return null;
            }
        }
    }

    // ---------------------------------------------------------------- stored form

    /** The stored form without an image shape (see {@link #toStoredJson(JobSpec, ImageShape)}). */
    public String toStoredJson(JobSpec spec) {
        return toStoredJson(spec, null);
    }

    /** The stored form: canonical (fixed key order, every default filled in), no binaries. */
    public String toStoredJson(JobSpec spec, ImageShape imageShape) {
        try {
            return mapper.writeValueAsString(toStoredNode(spec, imageShape));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    /** The stored form as a tree, e.g. to embed in an API response. */
    public ObjectNode toStoredNode(JobSpec spec, ImageShape imageShape) {
        ObjectNode root = mapper.createObjectNode();
        root.put("model", spec.model());
        if (spec.experiment() != null) {
            root.put("experiment", spec.experiment());
        }
        root.set("problem", problemNode(spec.problem()));
        root.set("solver", solverNode(spec.solver()));
        if (imageShape != null) {
            ArrayNode shape = root.putArray("imageShape");
            shape.add(imageShape.channels()).add(imageShape.height()).add(imageShape.width());
        }
        return root;
    }

    private ObjectNode problemNode(Problem problem) {
        ObjectNode node = mapper.createObjectNode();
        node.put("kind", problem.kind());
        // Java 17: no pattern switch; the sealed interface still makes the variants closed.
        if (problem instanceof CompressiveSensing cs) {
            node.put("m", cs.m());
            node.put("operator", cs.operator().wireName());
            node.put("seed", cs.seed());
        } else if (problem instanceof Inpainting in) {
            node.set("mask", maskNode(in.mask()));
        }
        node.set("noise", noiseNode(problem.noise()));
        return node;
    }

    private ObjectNode noiseNode(Noise noise) {
        ObjectNode node = mapper.createObjectNode();
        node.put("kind", noise.kind());
        if (noise instanceof Noise.Gaussian g) {
            node.put("std", g.std()).put("seed", g.seed());
        } else if (noise instanceof Noise.GaussianNorm g) {
            node.put("norm", g.norm()).put("seed", g.seed());
        }
        return node;
    }

    private ObjectNode maskNode(Mask mask) {
        ObjectNode node = mapper.createObjectNode();
        node.put("kind", mask.kind());
        if (mask instanceof Mask.CenterBlock b) {
            node.put("size", b.size());
        } else if (mask instanceof Mask.RandomPixels r) {
            node.put("missingFraction", r.missingFraction()).put("seed", r.seed());
        }
        return node;
    }

    private ObjectNode solverNode(SolverSettings s) {
        ObjectNode node = mapper.createObjectNode();
        node.put("optimizer", s.optimizer());
        node.put("steps", s.steps());
        node.put("lr", s.lr());
        node.put("gamma", s.gamma());
        node.put("lambda", s.lambda());
        node.put("restarts", s.restarts());
        ObjectNode init = node.putObject("init");
        init.put("kind", s.init().kind());
        if (s.init() instanceof Init.RandomNormal r) {
            init.put("std", r.std()).put("seed", r.seed());
        }
        return node;
    }

    /**
     * Reads a spec written by {@link #toStoredJson}, also after PostgreSQL's jsonb has reordered its
     * keys ({@code toStoredJson(fromStoredJson(text), storedImageShape(text))} gives the canonical
     * text back, e.g. to recompute the spec hash). The stored form was validated on submission,
     * so a violation here means the row was corrupted or written by something else.
     *
     * @throws IllegalArgumentException when the text is not a stored spec
     */
    public JobSpec fromStoredJson(String json) {
        JsonNode root = readTree(json);
        Checks c = new Checks();
        String model = c.text(root.get("model"), "model", true);
        String experiment = readExperiment(root.get("experiment"), c);
        Problem problem = readProblem(root.get("problem"), null, c);
        SolverSettings solver = readSolver(root.get("solver"), null, c);
        if (!c.violations.isEmpty()) {
            throw new IllegalArgumentException("not a stored job spec: " + new InvalidSpecException(c.violations).getMessage());
        }
        return new JobSpec(model, problem, solver, experiment);
    }

    /** The {@code imageShape} of a stored spec, or null when it has none. */
    public ImageShape storedImageShape(String json) {
        JsonNode shape = readTree(json).get("imageShape");
        if (shape == null || shape.isNull()) {
            return null;
        }
        Checks c = new Checks();
        ImageShape result = readShape(shape, "imageShape", c);
        if (result == null) {
            throw new IllegalArgumentException("not a stored job spec: " + c.violations);
        }
        return result;
    }

    private JsonNode readTree(String json) {
        try {
            JsonNode root = mapper.readTree(json);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a stored job spec: not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a stored job spec: " + e.getOriginalMessage(), e);
        }
    }

    // ---------------------------------------------------------------- hash

    /**
     * sha256 hex over the canonical stored JSON (with the input's shape) and the input bytes.
     * Each input is framed by a tag and its length so that moving bytes between inputs changes the hash.
     */
    public String specHash(JobSpec spec, JobInputs inputs) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(toStoredJson(spec, inputs.shape()).getBytes(StandardCharsets.UTF_8));
        frame(digest, 't', inputs.truthPng());
        frame(digest, 'p', inputs.measurementPng());
        frame(digest, 'v', inputs.measurementValues() == null ? null : float32Bytes(inputs.measurementValues()));
        return Sha256.hex(digest);
    }

    /** float32 little-endian, the layout of job_inputs.measurement_values. */
    public static byte[] float32Bytes(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    /** Inverse of {@link #float32Bytes}. */
    public static float[] float32Values(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("float32 data must be a multiple of 4 bytes, got " + bytes.length);
        }
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    private static void frame(MessageDigest digest, char tag, byte[] data) {
        digest.update((byte) tag);
        long length = data == null ? -1 : data.length;
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(length).array());
        if (data != null) {
            digest.update(data);
        }
    }

    // ---------------------------------------------------------------- checks

    /** Collects violations while reading typed values; a reader returns null when its value is unusable. */
    private static final class Checks {
        final List<SpecViolation> violations = new ArrayList<>();

        /** Always false, so that callers can write {@code ok = c.add(...)}. */
        boolean add(String field, String rule) {
            violations.add(new SpecViolation(field, rule));
            return false;
        }

        void throwIfAny() {
            if (!violations.isEmpty()) {
                throw new InvalidSpecException(violations);
            }
        }

        boolean object(JsonNode node, String field) {
            return node.isObject() || add(field, "must be an object");
        }

        void allowOnly(JsonNode node, String prefix, List<String> allowed) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    add(prefix.isEmpty() ? name : prefix + "." + name, "unknown field; allowed: " + String.join(", ", allowed));
                }
            }
        }

        String text(JsonNode node, String field, boolean required) {
            if (node == null || node.isNull()) {
                if (required) {
                    add(field, "is required");
                }
                return null;
            }
            if (!node.isTextual() || node.asText().isBlank()) {
                add(field, "must be a non-empty string");
                return null;
            }
            return node.asText();
        }

        /** A seed: any 64-bit integer, 0 when absent (still reproducible). */
        Long seed(JsonNode node, String field) {
            return integer(node, field, false, Long.MIN_VALUE, Long.MAX_VALUE, 0L);
        }

        Long integer(JsonNode node, String field, boolean required, long min, long max, Long absent) {
            if (node == null || node.isNull()) {
                if (required) {
                    add(field, "is required");
                }
                return required ? null : absent;
            }
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                add(field, "must be an integer");
                return null;
            }
            long value = node.longValue();
            if (value < min || value > max) {
                add(field, "must be between " + min + " and " + max);
                return null;
            }
            return value;
        }

        /** A finite number at least {@code min} (strictly more than it when {@code minExclusive}). */
        Double number(JsonNode node, String field, boolean required, double min, boolean minExclusive, Double absent) {
            if (node == null || node.isNull()) {
                if (required) {
                    add(field, "is required");
                }
                return required ? null : absent;
            }
            if (!node.isNumber()) {
                add(field, "must be a number");
                return null;
            }
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                add(field, "must be finite");
                return null;
            }
            if (minExclusive ? value <= min : value < min) {
                add(field, "must be " + (minExclusive ? "> " : ">= ") + min);
                return null;
            }
            return value;
        }
    }
}
