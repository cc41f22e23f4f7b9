package io.flowrecon.api.job.openapi;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.DiscriminatorMapping;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The job spec as the OpenAPI document describes it. The resource reads the body itself (every violation is
 * reported by field, which a framework's binding cannot do), so these types exist for the document only; their
 * names and rules follow {@code shared.job}'s records and readers.
 */
@Schema(name = "JobSpec", description = "A reconstruction job: a prior, an inverse problem, and the truth (to simulate"
        + " measurements from) or the measurements themselves. Give exactly one of truth or measurements.")
public record JobSpecSchema(
        @Schema(required = true, description = "id of a registered model (GET /api/v1/models)", example = "celeba32-glow")
        String model,
        @Schema(required = true, description = "how the measurements are made",
                oneOf = {Denoising.class, CompressiveSensing.class, Inpainting.class},
                discriminatorProperty = "kind",
                discriminatorMapping = {
                        @DiscriminatorMapping(value = "denoising", schema = Denoising.class),
                        @DiscriminatorMapping(value = "compressive-sensing", schema = CompressiveSensing.class),
                        @DiscriminatorMapping(value = "inpainting", schema = Inpainting.class)})
        Object problem,
        Truth truth,
        @Schema(description = "uploaded measurements instead of a truth: an image (denoising, inpainting) or a vector y"
                + " of length m (compressive sensing)")
        Measurements measurements,
        Solver solver,
        @Schema(description = "id of an experiment of the caller this job belongs to", format = "uuid")
        String experiment) {

    @Schema(name = "Denoising", description = "y = x + eta (A = I)")
    public record Denoising(@Schema(required = true, enumeration = "denoising") String kind, Noise noise) {
    }

    @Schema(name = "CompressiveSensing", description = "y = A x + eta, A an m x n operator generated from seed")
    public record CompressiveSensing(
            @Schema(required = true, enumeration = "compressive-sensing") String kind,
            @Schema(required = true, minimum = "1", description = "measurements, 1 <= m <= n = C x H x W") int m,
            @Schema(enumeration = {"gaussian", "subsampled-dct"}, defaultValue = "gaussian") String operator,
            @Schema(defaultValue = "0") long seed,
            Noise noise) {
    }

    @Schema(name = "Inpainting", description = "y = M (x + eta): only the pixels the mask keeps are observed")
    public record Inpainting(@Schema(required = true, enumeration = "inpainting") String kind,
                             @Schema(required = true) Mask mask, Noise noise) {
    }

    @Schema(name = "Noise", description = "additive noise; absent means none")
    public record Noise(@Schema(required = true, enumeration = {"none", "gaussian", "gaussian-norm"}) String kind,
                        @Schema(description = "for gaussian: per-value standard deviation", minimum = "0") Double std,
                        @Schema(description = "for gaussian-norm: the Euclidean norm of eta", minimum = "0") Double norm,
                        Long seed) {
    }

    @Schema(name = "Mask")
    public record Mask(@Schema(required = true, enumeration = {"center-block", "random-pixels"}) String kind,
                       @Schema(description = "center-block: side of the missing square", minimum = "1") Integer size,
                       @Schema(description = "random-pixels: fraction missing, in [0, 1)") Double missingFraction,
                       Long seed) {
    }

    @Schema(name = "Truth", description = "the image to recover, measurements simulated from it")
    public record Truth(@Schema(required = true, description = "base64 PNG, at most 512 x 512", format = "byte") String png) {
    }

    @Schema(name = "Measurements")
    public record Measurements(@Schema(format = "byte", description = "base64 PNG (denoising, inpainting)") String png,
                               @Schema(description = "y as numbers (compressive sensing)") List<Double> values,
                               @Schema(format = "byte", description = "y as base64 float32 little-endian") String float32,
                               @Schema(type = SchemaType.ARRAY, description = "[C, H, W] of the image to recover")
                               List<Integer> shape) {
    }

    @Schema(name = "Solver", description = "optional; defaults follow the model's kind (the paper's settings)")
    public record Solver(@Schema(enumeration = {"fista", "lbfgs", "adam"}) String optimizer,
                         @Schema(enumeration = {"none", "strong-wolfe"}, description = "L-BFGS only: none is the "
                                 + "paper's fixed step lr; Glow's default is strong-wolfe") String lineSearch,
                         @Schema(minimum = "1", maximum = "100000") Integer steps,
                         @Schema(exclusiveMinimum = true, minimum = "0") Double lr,
                         @Schema(minimum = "0", description = "weight of ||z||^2") Double gamma,
                         @Schema(minimum = "0", description = "Lasso weight of ||w||_1") Double lambda,
                         @Schema(minimum = "1", maximum = "64") Integer restarts,
                         Init init) {
    }

    @Schema(name = "Init")
    public record Init(@Schema(required = true, enumeration = {"zero", "random"}) String kind, Double std, Long seed) {
    }

    /** The paper's setting (the PNG is cut short). */
    public static final String EXAMPLE = """
            {"model": "celeba32-glow",
             "problem": {"kind": "compressive-sensing", "m": 307, "operator": "gaussian", "seed": 7,
                         "noise": {"kind": "gaussian-norm", "norm": 0.1, "seed": 8}},
             "truth": {"png": "iVBORw0KGgo..."},
             "solver": {"optimizer": "lbfgs", "lineSearch": "none", "steps": 30, "lr": 0.1, "gamma": 0.0,
                        "init": {"kind": "zero"}}}
            """;

    /** A job the built-in lasso-dct model accepts as it is, so that it can be tried from the document. */
    public static final String EXAMPLE_MEASURED = """
            {"model": "lasso-dct",
             "problem": {"kind": "compressive-sensing", "m": 3, "operator": "subsampled-dct", "seed": 7},
             "measurements": {"values": [0.5, -1.25, 2.0], "shape": [1, 2, 2]},
             "solver": {"steps": 100}}
            """;
}
