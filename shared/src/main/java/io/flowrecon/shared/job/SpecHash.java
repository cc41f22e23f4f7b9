package io.flowrecon.shared.job;

import io.flowrecon.shared.model.Sha256;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The spec hash of a job: what makes two jobs the same job. */
public final class SpecHash {

    private SpecHash() {
    }

    /**
     * sha256 hex over the canonical stored JSON (with the input's shape) and the input bytes.
     * Each input is framed by a tag and its length so that moving bytes between inputs changes the hash.
     */
    public static String of(JobSpec spec, JobInputs inputs) {
        return ofStored(StoredSpecs.write(spec, inputs.shape()), inputs);
    }

    /** The same hash from a stored form already written ({@code StoredSpecs.write(spec, inputs.shape())}). */
    public static String ofStored(String storedSpec, JobInputs inputs) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(storedSpec.getBytes(StandardCharsets.UTF_8));
        frame(digest, 't', inputs.truthPng());
        frame(digest, 'p', inputs.measurementPng());
        frame(digest, 'v', inputs.measurementValues() == null ? null : Float32.bytes(inputs.measurementValues()));
        return Sha256.hex(digest);
    }

    private static void frame(MessageDigest digest, char tag, byte[] data) {
        digest.update((byte) tag);
        long length = data == null ? -1 : data.length;
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(length).array());
        if (data != null) {
            digest.update(data);
        }
    }
}
