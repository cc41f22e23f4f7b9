package io.flowrecon.shared.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowrecon.shared.job.Problem.CompressiveSensing;
import io.flowrecon.shared.job.Problem.Denoising;
import io.flowrecon.shared.job.Problem.Inpainting;
import io.flowrecon.shared.job.Problem.Mask;
import io.flowrecon.shared.job.Problem.Noise;
import io.flowrecon.shared.job.Problem.SensingOperator;

import java.util.List;

/** The {@code problem} of a submission: its kind, operator, noise and mask, each field checked. */
final class ProblemReader {

    private ProblemReader() {
    }

    /** @param shape the image to recover, or null when unknown (then shape-dependent bounds are skipped) */
    static Problem readProblem(JsonNode node, ImageShape shape, JsonChecks c) {
        if (node == null) {
            c.add("problem", "is required: an object with kind " + String.join(" | ", SpecLimits.PROBLEM_KINDS));
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
                c.add("problem.kind", "unknown problem kind '" + kind + "'; allowed: " + String.join(", ", SpecLimits.PROBLEM_KINDS));
                return null;
            }
        }
    }

    private static Problem readCompressiveSensing(JsonNode node, ImageShape shape, JsonChecks c) {
        Integer m = null;
        JsonNode mNode = node.get("m");
        if (mNode == null) {
            c.add("problem.m", "is required: the number of measurements");
        } else if (!mNode.isIntegralNumber() || !mNode.canConvertToLong()) {
            c.add("problem.m", "must be an integer");
        } else {
            long value = mNode.longValue();
            String rule = JobSpecValidator.measurementCount(value, shape);
            if (rule != null) {
                c.add("problem.m", rule);
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
        String dense = m == null ? null : JobSpecValidator.denseOperator(operator, m, shape);
        if (dense != null) {
            c.add("problem.operator", dense);
        }
        Long seed = c.seed(node.get("seed"), "problem.seed");
        Noise noise = readNoise(node.get("noise"), "problem.noise", c);
        if (m == null || operator == null || seed == null || noise == null) {
            return null;
        }
        return new CompressiveSensing(m, operator, seed, noise);
    }

    /** Absent noise means noiseless measurements. */
    private static Noise readNoise(JsonNode node, String field, JsonChecks c) {
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
                c.add(field + ".kind", "unknown noise kind '" + kind + "'; allowed: " + String.join(", ", SpecLimits.NOISE_KINDS));
                return null;
            }
        }
    }

    private static Mask readMask(JsonNode node, ImageShape shape, JsonChecks c) {
        String field = "problem.mask";
        if (node == null) {
            c.add(field, "is required for inpainting: an object with kind " + String.join(" | ", SpecLimits.MASK_KINDS));
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
                Long size = c.integer(node.get("size"), field + ".size", true, 1, JobSpecValidator.largestBlock(shape), null);
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
                c.add(field + ".kind", "unknown mask kind '" + kind + "'; allowed: " + String.join(", ", SpecLimits.MASK_KINDS));
                return null;
            }
        }
    }
}
