package liftoff.image.uki;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;

/** Reading ranges of a file: small ones into buffers, large ones through a digest, without loading the file. */
final class Regions {
    private static final int CHUNK = 1 << 20;

    private Regions() {}

    /** {@code length} bytes at {@code position}, little-endian; {@code what} names them when the file is too short. */
    static ByteBuffer read(FileChannel file, long position, int length, String what) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new PeFormatException("the file ends inside " + what);
            }
        }
        return buffer.flip();
    }

    /** Writes a little-endian 32-bit value at {@code position}. */
    static void write(FileChannel file, long position, int value) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).flip();
        while (buffer.hasRemaining()) file.write(buffer, position + buffer.position());
    }

    /** Feeds {@code length} bytes at {@code position} to {@code digest}. */
    static void digest(FileChannel file, long position, long length, MessageDigest digest) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(length, 1)));
        long done = 0;
        while (done < length) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
            int n = file.read(buffer, position + done);
            if (n < 0) throw new EOFException("the file ends at " + (position + done) + ", before " + (position + length));
            digest.update(buffer.flip());
            done += n;
        }
    }
}
