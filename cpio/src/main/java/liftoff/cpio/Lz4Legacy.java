package liftoff.cpio;

import io.airlift.compress.lz4.Lz4Compressor;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorInputStream;

/**
 * The lz4 "legacy" frame of {@code lz4 -l}, the only lz4 framing the kernel unpacks: the magic
 * 0x184C2102, then blocks of at most 8 MiB uncompressed, each a little-endian 32-bit compressed size
 * and an lz4 block. The block codecs are libraries' (aircompressor writes, commons-compress reads);
 * only the framing is here.
 */
final class Lz4Legacy {
    static final long MAGIC = 0x184C2102L;
    static final int BLOCK = 8 << 20;
    /** LZ4_compressBound(8 MiB): no block of a legacy frame is bigger. */
    static final long MAX_COMPRESSED = BLOCK + BLOCK / 255 + 16;

    private Lz4Legacy() {}

    /** Decodes blocks until the input ends or a size word cannot be a block (NUL padding, the next segment). */
    static final class Input extends BlockStream {
        private final ImageInput in;

        Input(ImageInput in) throws IOException {
            this.in = in;
            if (readLe32() != MAGIC) throw new IOException("not an lz4 legacy frame");
        }

        @Override
        protected byte[] nextBlock() throws IOException {
            if (in.ensure(4) < 4) return null;
            long size = readLe32();
            if (size == MAGIC) return new byte[0];  // a new legacy frame continues the same stream
            if (size == 0 || size > MAX_COMPRESSED) {
                in.unread(4);
                return null;
            }
            byte[] compressed = new byte[(int) size];
            in.readFully(compressed, 0, compressed.length);
            byte[] block;
            try (InputStream d = new BlockLZ4CompressorInputStream(new ByteArrayInputStream(compressed))) {
                block = d.readNBytes(BLOCK + 1);
            }
            if (block.length > BLOCK) throw new IOException("lz4 block unpacks to more than 8 MiB");
            return block;
        }

        private long readLe32() throws IOException {
            byte[] b = new byte[4];
            in.readFully(b, 0, 4);
            return (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
        }
    }

    /** Collects 8 MiB at a time and writes each as one compressed block. */
    static final class Output extends FilterOutputStream {
        private final byte[] block = new byte[BLOCK];
        private int filled;
        // aircompressor's block compressor: commons-compress's took over 12 minutes on a 55 MB
        // image (its match finder degrades on long inputs); this one runs at lz4's usual speed.
        private final Lz4Compressor compressor = new Lz4Compressor();
        private final byte[] compressed = new byte[compressor.maxCompressedLength(BLOCK)];

        Output(OutputStream out) throws IOException {
            super(out);
            writeLe32(MAGIC);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, BLOCK - filled);
                System.arraycopy(b, off, block, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == BLOCK) flushBlock();
            }
        }

        private void flushBlock() throws IOException {
            if (filled == 0) return;
            int size = compressor.compress(block, 0, filled, compressed, 0, compressed.length);
            writeLe32(size);
            out.write(compressed, 0, size);
            filled = 0;
        }

        private void writeLe32(long v) throws IOException {
            out.write(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
        }

        @Override
        public void close() throws IOException {
            try {
                flushBlock();
            } finally {
                out.close();
            }
        }
    }
}
