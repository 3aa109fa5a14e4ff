package liftoff.cpio;

import java.io.IOException;

/**
 * Malformed or hostile input: the message names the byte offset and, when one was being read, the
 * entry, so a single line tells the user where the image is broken.
 */
public final class CpioFormatException extends IOException {
    private final long offset;
    private final String entryName;

    /** @param where how to read the offset, e.g. "offset" or "zstd segment at 512, unpacked offset" */
    public CpioFormatException(String where, long offset, byte[] entryName, String problem) {
        super(where + " " + offset + (entryName == null ? "" : ", entry \"" + Names.printable(entryName) + "\"")
                + ": " + problem);
        this.offset = offset;
        this.entryName = entryName == null ? null : Names.printable(entryName);
    }

    public CpioFormatException(long offset, byte[] entryName, String problem) {
        this("offset", offset, entryName, problem);
    }

    private CpioFormatException(String message, long offset) {
        super(message);
        this.offset = offset;
        this.entryName = null;
    }

    /** An input of {@code length} bytes, all of them NUL (or none), where an archive should be. */
    static CpioFormatException noArchive(long length) {
        return new CpioFormatException("no cpio archive in it (" + (length == 0 ? "empty" : "only " + length + " zero bytes") + ")", length);
    }

    /** The byte offset of the problem, in the coordinates named by the message. */
    public long offset() {
        return offset;
    }

    /** The entry being read, printable (non-UTF-8 bytes escaped), or null before its name was known. */
    public String entryName() {
        return entryName;
    }
}
