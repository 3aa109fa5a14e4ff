package liftoff.handover;

/** A refusal before anything was changed: the message says what is wrong and what to do. */
public final class HandoverException extends Exception {
    public HandoverException(String message) {
        super(message);
    }
}
