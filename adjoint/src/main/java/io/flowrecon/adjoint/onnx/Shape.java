package io.flowrecon.adjoint.onnx;

import java.util.Arrays;

/** A static tensor shape (every dimension known). Immutable; a scalar has rank 0. */
public final class Shape {
    private final long[] dims;

    private Shape(long[] dims) {
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("shape dimensions must be >= 0, got " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    public static Shape of(long... dims) {
        return new Shape(dims.clone());
    }

    public static Shape scalar() {
        return new Shape(new long[0]);
    }

    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int axis) {
        return dims[axis < 0 ? axis + dims.length : axis];
    }

    /** Number of elements. */
    public long size() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    public Shape withDim(int axis, long value) {
        long[] copy = dims.clone();
        copy[axis] = value;
        return new Shape(copy);
    }

    /** Normalises a possibly negative axis for this rank, naming the node in the error. */
    public int axis(long axis, String where) {
        long a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException(where + ": axis " + axis + " is out of range for rank " + dims.length);
        }
        return (int) a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
