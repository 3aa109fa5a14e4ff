package liftoff.image.uki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The optional header's CheckSum, as Windows' imagehlp CheckSumMappedFile computes it: the file as
 * little-endian 16-bit words (the CheckSum field itself counted as zero, an odd last byte as a
 * word) summed with the carries folded back in, plus the file's length. UEFI firmware does not check
 * it; tools and some loaders do, and a stale one marks a file as edited by hand.
 */
public final class PeChecksum {
    private static final int CHUNK = 1 << 20;

    private PeChecksum() {}

    /** The checksum of the whole file, with the 4 bytes at {@code checksumOffset} taken as zero. */
    public static long compute(FileChannel file, long checksumOffset) throws IOException {
        long size = file.size();
        long sum = 0;
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (long at = 0; at < size; at += CHUNK) {
            buffer.clear().limit((int) Math.min(CHUNK, size - at));
            while (buffer.hasRemaining()) {
                if (file.read(buffer, at + buffer.position()) < 0) throw new IOException("the file shrank while it was summed");
            }
            buffer.flip();
            for (long field = checksumOffset; field < checksumOffset + 4; field++) {
                if (field >= at && field < at + buffer.limit()) buffer.put((int) (field - at), (byte) 0);
            }
            while (buffer.remaining() >= 2) {
                sum += Short.toUnsignedInt(buffer.getShort());
                sum = (sum & 0xffff) + (sum >>> 16);
            }
            if (buffer.hasRemaining()) {   // only in the last chunk: CHUNK is even
                sum += Byte.toUnsignedInt(buffer.get());
                sum = (sum & 0xffff) + (sum >>> 16);
            }
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        return (sum + size) & 0xffffffffL;
    }

    /** Computes the checksum of the image in {@code file} (open for writing) and stores it in its header. */
    public static long update(FileChannel file) throws IOException {
        PeHeaders headers = PeHeaders.read(file);
        long checksum = compute(file, headers.checksumOffset());
        Regions.write(file, headers.checksumOffset(), (int) checksum);
        return checksum;
    }
}
