package io.flowrecon.api.imageset;

/**
 * What one upload may hold.
 *
 * @param maxImages     images per set
 * @param maxImageBytes bytes of one encoded image
 * @param maxSide       pixels of the longer side of one image (the priors work on small images)
 */
record ImageSetLimits(int maxImages, long maxImageBytes, int maxSide) {
}
