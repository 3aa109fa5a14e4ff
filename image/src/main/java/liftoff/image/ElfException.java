package liftoff.image;

import java.io.IOException;

/** A file that is not a well-formed ELF object; the message names the file and what is wrong. */
public final class ElfException extends IOException {
    public ElfException(String origin, String problem) {
        super(origin + ": " + problem);
    }
}
