package liftoff.image.uki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The bytes of a section being written: in memory, or a range of a file (a kernel, an initramfs) copied when written. */
sealed interface SectionContent {
    long size();

    /** Writes the bytes at the channel's position, leaving it after them. */
    void writeTo(FileChannel out) throws IOException;

    record Bytes(byte[] data) implements SectionContent {
        @Override
        public long size() {
            return data.length;
        }

        @Override
        public void writeTo(FileChannel out) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) out.write(buffer);
        }
    }

    record FileRange(Path file, long offset, long size) implements SectionContent {
        static FileRange whole(Path file) throws IOException {
            return new FileRange(file, 0, Files.size(file));
        }

        @Override
        public void writeTo(FileChannel out) throws IOException {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                long done = 0;
                while (done < size) {
                    long n = in.transferTo(offset + done, size - done, out);
                    if (n <= 0 && offset + done >= in.size()) throw new IOException(file + " ended before " + (offset + size) + " bytes");
                    done += n;
                }
            }
        }
    }
}
