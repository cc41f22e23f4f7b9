package io.flowrecon.api.imageset;

/**
 * One image of an upload before it is checked: where it came from (for error messages) and its bytes.
 *
 * @param field the request location, e.g. {@code images[3]} or {@code archive:faces/003.png}
 * @param name    the entry's own name (a file name), or a generated one for a bare base64 string
 * @param bytes   the encoded image; null when the entry could not even be read
 * @param problem why it could not be read (bad base64, a bad name), or null
 */
record ImageSetEntry(String field, String name, byte[] bytes, String problem) {

    ImageSetEntry(String field, String name, byte[] bytes) {
        this(field, name, bytes, null);
    }

    static ImageSetEntry unreadable(String field, String problem) {
        return new ImageSetEntry(field, "", null, problem);
    }
}
