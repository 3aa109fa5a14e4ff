package liftoff.cpio;

/** The crc format's "checksum": the 32-bit sum of the body's bytes as unsigned values. */
final class Checksum {
    private Checksum() {}

    static long of(byte[] b, int off, int len, long sum) {
        for (int i = off; i < off + len; i++) sum += b[i] & 0xff;
        return sum & 0xffffffffL;
    }
}
