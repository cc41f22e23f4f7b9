package io.flowrecon.trainer.data;

import java.util.SplittableRandom;

/**
 * Which images form the batch of a training step: positions t*B .. t*B+B-1 of a sequence of per-epoch
 * shuffles, each shuffle drawn from (seed, epoch). A pure function of (seed, step), so a resumed run sees the
 * batches the uninterrupted one would.
 */
public final class BatchOrder {
    private final long seed;
    private final int size;
    private int[] order;
    private long epochOfOrder = -1;

    /** @param size number of images in the dataset */
    public BatchOrder(long seed, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a batch order needs at least one image, got " + size);
        }
        this.seed = seed;
        this.size = size;
    }

    /** Dataset indices of the batch of {@code step}. */
    public int[] batch(long step, int batchSize) {
        int[] indices = new int[batchSize];
        for (int j = 0; j < batchSize; j++) {
            long position = step * batchSize + j;
            indices[j] = order(position / size)[(int) (position % size)];
        }
        return indices;
    }

    /** A well-spread seed for (seed, index), for per-step random streams. */
    public static long mix(long seed, long index) {
        return new SplittableRandom(seed + index * 0x9E3779B97F4A7C15L).nextLong();
    }

    private int[] order(long epoch) {
        if (epoch != epochOfOrder) {
            SplittableRandom random = new SplittableRandom(mix(seed ^ 0x5eedL, epoch));
            int[] o = new int[size];
            for (int i = 0; i < o.length; i++) {
                o[i] = i;
            }
            // Fisher-Yates
            for (int i = o.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = o[i];
                o[i] = o[j];
                o[j] = t;
            }
            order = o;
            epochOfOrder = epoch;
        }
        return order;
    }
}
