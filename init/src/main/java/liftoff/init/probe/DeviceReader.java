package liftoff.init.probe;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional, read-only access to a block device or an image file. Probers ask for a few bytes at
 * known offsets; a region past the end of the device is answered with {@code null} rather than an
 * exception, because a truncated superblock simply means "not this format".
 */
public final class DeviceReader implements Closeable {

    private final FileChannel channel;

    private DeviceReader(FileChannel channel) {
        this.channel = channel;
    }

    public static DeviceReader open(Path path) throws IOException {
        return new DeviceReader(FileChannel.open(path, StandardOpenOption.READ));
    }

    /**
     * Reads {@code length} bytes at {@code offset} into a little-endian buffer positioned at 0, or
     * returns null when the device ends before the region does (or the offset is nonsense).
     */
    public ByteBuffer read(long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                return null;
            }
        }
        return buffer.flip();
    }

    /** The size in bytes; for a block device too (the JDK asks the kernel, not stat). */
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
