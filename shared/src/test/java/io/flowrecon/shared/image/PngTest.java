package io.flowrecon.shared.image;

import io.flowrecon.shared.job.ImageShape;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PngTest {

    /** Values on the 8-bit grid survive encode/decode exactly (up to float rounding of k/255). */
    private static final float GRID_TOLERANCE = 1e-6f;

    @Test
    void rgbRoundTripKeepsEightBitValues() {
        Image image = gridImage(new ImageShape(3, 5, 7), 1);
        Image decoded = Png.decode(Png.encode(image));
        assertEquals(image.shape(), decoded.shape());
        assertArrayEquals(image.values(), decoded.values(), GRID_TOLERANCE);
    }

    @Test
    void greyRoundTripKeepsOneChannel() {
        Image image = gridImage(new ImageShape(1, 4, 3), 2);
        Image decoded = Png.decode(Png.encode(image));
        assertEquals(new ImageShape(1, 4, 3), decoded.shape());
        assertArrayEquals(image.values(), decoded.values(), GRID_TOLERANCE);
    }

    @Test
    void encodeClipsAndRoundsToEightBits() {
        Image image = new Image(new ImageShape(1, 1, 4), new float[]{-0.5f, 1.7f, 0.5f, 100f / 255f + 0.001f});
        float[] decoded = Png.decode(Png.encode(image)).values();
        assertArrayEquals(new float[]{0f, 1f, 128f / 255f, 100f / 255f}, decoded, GRID_TOLERANCE);
    }

    @Test
    void encodeRejectsTwoChannels() {
        assertThrows(IllegalArgumentException.class, () -> Png.encode(Image.zeros(new ImageShape(2, 2, 2))));
    }

    @Test
    void sixteenBitGreyIsScaledByItsFullRange() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(0, 0, 0, 65535);
        img.getRaster().setSample(1, 0, 0, 1000);
        Image decoded = Png.decode(write(img));
        assertEquals(new ImageShape(1, 1, 2), decoded.shape());
        assertArrayEquals(new float[]{1f, 1000f / 65535f}, decoded.values(), 1e-7f);
    }

    @Test
    void opaqueRgbaDropsAlpha() throws IOException {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0xFF102030);
        img.setRGB(1, 0, 0xFFFFFFFF);
        img.setRGB(0, 1, 0xFF000000);
        img.setRGB(1, 1, 0xFF800000);
        Image decoded = Png.decode(write(img));
        assertEquals(new ImageShape(3, 2, 2), decoded.shape());
        // R plane, then G, then B, each row-major.
        float[] expected = {0x10, 0xFF, 0, 0x80, 0x20, 0xFF, 0, 0, 0x30, 0xFF, 0, 0};
        for (int i = 0; i < expected.length; i++) {
            expected[i] /= 255f;
        }
        assertArrayEquals(expected, decoded.values(), GRID_TOLERANCE);
    }

    @Test
    void translucentRgbaIsRejectedWithAReason() throws IOException {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80FFFFFF);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> Png.decode(write(img)));
        assertTrue(e.getMessage().contains("alpha"), e.getMessage());
    }

    @Test
    void greyPaletteBecomesOneChannelAndColourPaletteThree() throws IOException {
        byte[] grey = {0, (byte) 128, (byte) 255};
        Image decodedGrey = Png.decode(write(paletteImage(grey, grey, grey)));
        assertEquals(1, decodedGrey.channels());
        assertArrayEquals(new float[]{0f, 128f / 255f, 1f, 0f}, decodedGrey.values(), GRID_TOLERANCE);

        byte[] red = {0, (byte) 255, 0};
        byte[] green = {0, 0, (byte) 255};
        byte[] blue = {(byte) 255, 0, 0};
        Image decodedColour = Png.decode(write(paletteImage(red, green, blue)));
        assertEquals(new ImageShape(3, 2, 2), decodedColour.shape());
        // pixels use palette entries 0, 1, 2, 0
        assertArrayEquals(new float[]{0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1}, decodedColour.values(), GRID_TOLERANCE);
    }

    @Test
    void oneBitBlackAndWhiteBecomesGreyZeroAndOne() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY);
        img.getRaster().setSample(1, 0, 0, 1);
        Image decoded = Png.decode(write(img));
        assertEquals(new ImageShape(1, 1, 3), decoded.shape());
        assertArrayEquals(new float[]{0f, 1f, 0f}, decoded.values(), 0f);
    }

    @Test
    void oversizedImagesAreRejectedFromTheHeaderAlone() {
        // Signature + an IHDR chunk declaring 5000 x 5000 8-bit grey, and nothing else.
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
                .putInt(5000).putInt(5000).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4)
                .put(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> Png.decode(png.array()));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void bytesThatAreNotAPngAreRejected() {
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> Png.decode("GIF89a, not a png".getBytes()));
        assertTrue(e.getMessage().contains("not a PNG"), e.getMessage());
        assertThrows(ImageFormatException.class, () -> Png.decode(new byte[0]));
        assertThrows(ImageFormatException.class, () -> Png.decode(null));
    }

    @Test
    void truncatedAndCorruptedPngsAreRejected() {
        byte[] png = Png.encode(gridImage(new ImageShape(3, 16, 16), 3));
        assertThrows(ImageFormatException.class, () -> Png.decode(Arrays.copyOf(png, png.length / 2)));
        assertThrows(ImageFormatException.class, () -> Png.decode(Arrays.copyOf(png, 12)));
        byte[] corrupt = png.clone();
        for (int i = 40; i < corrupt.length - 12; i++) {
            corrupt[i] = (byte) 0xA5;
        }
        assertThrows(ImageFormatException.class, () -> Png.decode(corrupt));
    }

    private static Image gridImage(ImageShape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(256) / 255f;
        }
        return new Image(shape, values);
    }

    private static BufferedImage paletteImage(byte[] r, byte[] g, byte[] b) {
        IndexColorModel palette = new IndexColorModel(8, r.length, r, g, b);
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_INDEXED, palette);
        img.getRaster().setSample(0, 0, 0, 0);
        img.getRaster().setSample(1, 0, 0, 1);
        img.getRaster().setSample(0, 1, 0, 2);
        img.getRaster().setSample(1, 1, 0, 0);
        return img;
    }

    private static byte[] write(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out));
        return out.toByteArray();
    }
}
