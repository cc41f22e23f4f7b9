package io.flowrecon.shared.image;

import io.flowrecon.shared.job.ImageShape;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * PNG to {@link Image} and back. Decoding keeps the stored sample values (no colour-space
 * conversion): grey becomes 1 channel, RGB 3 channels, values scaled by 1 / (2^bitDepth - 1).
 * An alpha channel is accepted only when every pixel is fully opaque (then dropped), because
 * the priors have no notion of transparency. Palette images become RGB, or grey when every
 * palette entry is grey.
 */
public final class Png {

    /** Largest image we decode (pixels); priors work on small images, this only guards memory. */
    public static final long MAX_PIXELS = 4096L * 4096L;

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Png() {
    }

    /** Decodes a PNG file; throws {@link ImageFormatException} with a user-facing message. */
    public static Image decode(byte[] png) {
        if (png == null || png.length < SIGNATURE.length || !startsWithSignature(png)) {
            throw new ImageFormatException("not a PNG file (the bytes do not start with the PNG signature)");
        }
        BufferedImage image = read(png);
        ColorModel colorModel = image.getColorModel();
        Raster raster = image.getRaster();
        if (colorModel instanceof IndexColorModel palette) {
            return fromPalette(raster, palette);
        }
        return fromComponents(raster, colorModel);
    }

    /** Encodes a 1-channel (grey) or 3-channel (RGB) image as an 8-bit PNG, clipping to [0, 1]. */
    public static byte[] encode(Image image) {
        int channels = image.channels();
        int height = image.height();
        int width = image.width();
        BufferedImage out = switch (channels) {
            case 1 -> new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            case 3 -> new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            default -> throw new IllegalArgumentException(
                    "PNG encoding supports 1 (grey) or 3 (RGB) channels, got " + channels);
        };
        WritableRaster raster = out.getRaster();
        float[] values = image.values();
        for (int c = 0; c < channels; c++) {
            int offset = c * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    // Raster bands are in R, G, B order whatever the byte layout.
                    raster.setSample(x, y, c, Math.round(Image.clip01(values[offset + y * width + x]) * 255f));
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(out, "png", bytes)) {
                throw new IllegalStateException("no PNG writer available in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static boolean startsWithSignature(byte[] png) {
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (png[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    private static BufferedImage read(byte[] png) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
        if (!readers.hasNext()) {
            throw new IllegalStateException("no PNG reader available in this JVM");
        }
        ImageReader reader = readers.next();
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            reader.setInput(input, true, true);
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > MAX_PIXELS) {
                throw new ImageFormatException("PNG too large: " + reader.getWidth(0) + "x" + reader.getHeight(0)
                        + " pixels, at most " + MAX_PIXELS + " pixels are allowed");
            }
            BufferedImage image = reader.read(0);
            if (image == null) {
                throw new ImageFormatException("corrupt PNG: no image could be decoded");
            }
            return image;
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // The JDK decoder reports truncated or corrupt data with assorted exception types.
            throw new ImageFormatException("corrupt PNG: " + describe(e), e);
        } finally {
            reader.dispose();
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static Image fromPalette(Raster raster, IndexColorModel palette) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int plane = width * height;
        int[] indices = raster.getSamples(0, 0, width, height, 0, (int[]) null);
        boolean grey = true;
        for (int index : indices) {
            if (palette.getAlpha(index) != 255) {
                throw new ImageFormatException("unsupported PNG: the palette has transparent entries in use "
                        + "(only fully opaque images are accepted)");
            }
            grey &= palette.getRed(index) == palette.getGreen(index) && palette.getGreen(index) == palette.getBlue(index);
        }
        int channels = grey ? 1 : 3;
        float[] values = new float[channels * plane];
        for (int p = 0; p < plane; p++) {
            int index = indices[p];
            values[p] = palette.getRed(index) / 255f;
            if (!grey) {
                values[plane + p] = palette.getGreen(index) / 255f;
                values[2 * plane + p] = palette.getBlue(index) / 255f;
            }
        }
        return new Image(new ImageShape(channels, height, width), values);
    }

    private static Image fromComponents(Raster raster, ColorModel colorModel) {
        int colourComponents = colorModel.getNumColorComponents();
        int spaceType = colorModel.getColorSpace().getType();
        boolean greyOk = colourComponents == 1 && spaceType == ColorSpace.TYPE_GRAY;
        boolean rgbOk = colourComponents == 3 && spaceType == ColorSpace.TYPE_RGB;
        if (!greyOk && !rgbOk) {
            throw new ImageFormatException("unsupported colour type: " + colourComponents
                    + " colour components; grey, grey+alpha, RGB, RGBA and palette PNGs are accepted");
        }
        int width = raster.getWidth();
        int height = raster.getHeight();
        int plane = width * height;
        if (colorModel.hasAlpha()) {
            int alphaBand = colourComponents;
            int opaque = (1 << colorModel.getComponentSize(alphaBand)) - 1;
            int[] alpha = raster.getSamples(0, 0, width, height, alphaBand, (int[]) null);
            for (int a : alpha) {
                if (a != opaque) {
                    throw new ImageFormatException("unsupported PNG: the alpha channel is not fully opaque "
                            + "(transparent pixels cannot be reconstructed; flatten the image first)");
                }
            }
        }
        float[] values = new float[colourComponents * plane];
        int[] samples = new int[plane];
        for (int c = 0; c < colourComponents; c++) {
            float scale = 1f / ((1 << colorModel.getComponentSize(c)) - 1);
            raster.getSamples(0, 0, width, height, c, samples);
            int offset = c * plane;
            for (int p = 0; p < plane; p++) {
                values[offset + p] = samples[p] * scale;
            }
        }
        return new Image(new ImageShape(colourComponents, height, width), values);
    }
}
