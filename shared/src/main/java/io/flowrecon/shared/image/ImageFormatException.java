package io.flowrecon.shared.image;

/**
 * An image a user supplied cannot be read; the message says what is wrong and what is
 * allowed, and is safe to return to the user as is.
 */
public class ImageFormatException extends RuntimeException {

    public ImageFormatException(String message) {
        super(message);
    }

    public ImageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
