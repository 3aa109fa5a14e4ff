package liftoff.init.luks;

/**
 * Why a LUKS device could not be used: a damaged or hostile header, an unsupported cipher or key
 * derivation, no key that opens it. The message is for the console and never holds key material.
 */
public final class LuksException extends Exception {
    public LuksException(String message) {
        super(message);
    }
}
