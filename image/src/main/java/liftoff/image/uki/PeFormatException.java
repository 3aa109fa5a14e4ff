package liftoff.image.uki;

import java.io.IOException;

/** A file that is not a PE/COFF image, or one this package cannot take; the message says what is wrong. */
public final class PeFormatException extends IOException {
    public PeFormatException(String message) {
        super(message);
    }
}
