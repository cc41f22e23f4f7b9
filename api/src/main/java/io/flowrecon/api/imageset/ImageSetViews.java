package io.flowrecon.api.imageset;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The JSON answers of the image-set endpoints. */
public final class ImageSetViews {

    private ImageSetViews() {
    }

    /**
     * One set, without its images.
     *
     * @param owner  the caller for an uploaded set; null for a set the server's configuration declares
     * @param shape  [C, H, W] of every image
     * @param source {@code upload}, or the folder and recipe of a configured set
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageSetSummary(UUID id, String name, String owner, String source, int count, List<Integer> shape,
                           Instant createdAt) {
    }

    /** One image of a set, with where to fetch it. */
    record ImageSetImage(int index, String name, String sha256, String png, String thumbnail) {
    }

    /** A set and a page of its images ({@code offset}, {@code limit}). */
    record ImageSetDetail(ImageSetSummary set, int offset, int limit, List<ImageSetImage> images) {
    }

    record ImageSetList(List<ImageSetSummary> imageSets) {
    }
}
