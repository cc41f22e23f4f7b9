package io.flowrecon.shared.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The inverse problem of a job: how measurements y are made from an image x.
 * A switch over the variants is exhaustive; the wire name of each is its {@link #kind()}, which is also the
 * {@code kind} property of the JSON forms (Jackson polymorphism, so the stored form reads back as these types).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Problem.Denoising.class, name = "denoising"),
        @JsonSubTypes.Type(value = Problem.CompressiveSensing.class, name = "compressive-sensing"),
        @JsonSubTypes.Type(value = Problem.Inpainting.class, name = "inpainting")})
public sealed interface Problem permits Problem.Denoising, Problem.CompressiveSensing, Problem.Inpainting {

    /** Wire name: {@code denoising}, {@code compressive-sensing}, {@code inpainting}. */
    @JsonIgnore
    String kind();

    Noise noise();

    /** y = x + eta (A = I). */
    record Denoising(Noise noise) implements Problem {
        public String kind() {
            return "denoising";
        }
    }

    /**
     * y = A x + eta with A an m x n operator generated from {@code seed}.
     * The paper's default: Gaussian A with N(0, 1/m) entries and ||eta|| = 0.1.
     */
    record CompressiveSensing(int m, SensingOperator operator, long seed, Noise noise) implements Problem {
        public String kind() {
            return "compressive-sensing";
        }
    }

    /** y = M (x + eta): only the pixels the mask keeps are observed. */
    record Inpainting(Mask mask, Noise noise) implements Problem {
        public String kind() {
            return "inpainting";
        }
    }

    /** Sensing matrices for compressive sensing. */
    enum SensingOperator {
        /** Dense, i.i.d. N(0, 1/m) entries from a seed; never stored or shipped. */
        GAUSSIAN("gaussian"),
        /** Matrix-free: random signs, orthonormal 2-D DCT, m random rows, scaled by sqrt(n/m). */
        SUBSAMPLED_DCT("subsampled-dct");

        private final String wireName;

        SensingOperator(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        @JsonCreator
        public static SensingOperator fromWireName(String name) {
            for (SensingOperator op : values()) {
                if (op.wireName.equals(name)) {
                    return op;
                }
            }
            return null;
        }
    }

    /** Additive measurement noise, drawn from its own seed. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Noise.None.class, name = "none"),
            @JsonSubTypes.Type(value = Noise.Gaussian.class, name = "gaussian"),
            @JsonSubTypes.Type(value = Noise.GaussianNorm.class, name = "gaussian-norm")})
    sealed interface Noise permits Noise.None, Noise.Gaussian, Noise.GaussianNorm {

        @JsonIgnore
        String kind();

        /** Noiseless measurements. */
        record None() implements Noise {
            public String kind() {
                return "none";
            }
        }

        /** i.i.d. N(0, std^2) per measurement. */
        record Gaussian(double std, long seed) implements Noise {
            public String kind() {
                return "gaussian";
            }
        }

        /** A Gaussian direction scaled to a given Euclidean norm (the paper: ||eta|| = 0.1). */
        record GaussianNorm(double norm, long seed) implements Noise {
            public String kind() {
                return "gaussian-norm";
            }
        }
    }

    /** Which pixels inpainting observes; a mask applies to all channels of a pixel. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Mask.CenterBlock.class, name = "center-block"),
            @JsonSubTypes.Type(value = Mask.RandomPixels.class, name = "random-pixels")})
    sealed interface Mask permits Mask.CenterBlock, Mask.RandomPixels {

        @JsonIgnore
        String kind();

        /** A size x size block in the centre of the image is missing. */
        record CenterBlock(int size) implements Mask {
            public String kind() {
                return "center-block";
            }
        }

        /** Each pixel is missing with probability {@code missingFraction}, drawn from {@code seed}. */
        record RandomPixels(double missingFraction, long seed) implements Mask {
            public String kind() {
                return "random-pixels";
            }
        }
    }
}
