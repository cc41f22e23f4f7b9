package io.flowrecon.worker.job;

/**
 * A job that can never succeed however often it is delivered (bad spec, unknown model kind,
 * unreadable inputs). The message is the job's error, shown to the user as is.
 */
public class PoisonJobException extends Exception {

    public PoisonJobException(String message) {
        super(message);
    }

    public PoisonJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
