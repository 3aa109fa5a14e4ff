package liftoff.cpio;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lzo.LzoDecompressor;
import java.io.IOException;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Checksum;

/**
 * One lzop file, as the kernel's decompress_unlzo reads it: the header (skipped, as the kernel does),
 * then blocks of at most 256 KiB, each big-endian uncompressed and compressed sizes, checksums, and
 * the LZO1X data (stored as is when it did not shrink), until a zero size. The framing is here; the
 * LZO1X block codec is aircompressor's.
 */
final class LzopMember extends BlockStream {
    private static final int MAX_BLOCK = 256 * 1024;
    private static final int F_ADLER32_D = 0x1, F_ADLER32_C = 0x2, F_H_FILTER = 0x800, F_CRC32_D = 0x100, F_CRC32_C = 0x200;

    private final ImageInput in;
    private final int flags;
    private final LzoDecompressor lzo = new LzoDecompressor();

    LzopMember(ImageInput in) throws IOException {
        this.in = in;
        byte[] magic = new byte[9];
        in.readFully(magic, 0, 9);
        int version = be16();
        in.skipNBytes(4);  // library version, version needed to extract
        in.skipNBytes(1);  // method
        if (version >= 0x0940) in.skipNBytes(1);  // level
        flags = (int) be32();
        if ((flags & F_H_FILTER) != 0) in.skipNBytes(4);
        in.skipNBytes(version >= 0x0940 ? 12 : 8);  // mode, mtime low (and high)
        in.skipNBytes(in.read());  // file name
        in.skipNBytes(4);  // header checksum
    }

    @Override
    protected byte[] nextBlock() throws IOException {
        long dstLen = be32();
        if (dstLen == 0) return null;
        long srcLen = be32();
        if (dstLen > MAX_BLOCK || srcLen == 0 || srcLen > dstLen) throw new IOException("lzop block sizes are corrupt");
        boolean dstSum = (flags & (F_ADLER32_D | F_CRC32_D)) != 0;
        long expected = dstSum ? be32() : 0;
        if ((flags & (F_ADLER32_C | F_CRC32_C)) != 0 && srcLen < dstLen) in.skipNBytes(4);
        byte[] src = new byte[(int) srcLen];
        in.readFully(src, 0, src.length);
        byte[] block = src;
        if (srcLen < dstLen) {
            block = new byte[(int) dstLen];
            try {
                if (lzo.decompress(src, 0, src.length, block, 0, block.length) != dstLen) throw new IOException("lzop block is short");
            } catch (MalformedInputException e) {
                throw new IOException("lzo data is corrupt");
            }
        }
        if (dstSum) {
            Checksum sum = (flags & F_ADLER32_D) != 0 ? new Adler32() : new CRC32();
            sum.update(block, 0, block.length);
            if (sum.getValue() != expected) throw new IOException("lzop block checksum mismatch");
        }
        return block;
    }

    private int be16() throws IOException {
        return in.read() << 8 | in.read();
    }

    private long be32() throws IOException {
        byte[] b = new byte[4];
        in.readFully(b, 0, 4);
        return (b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL);
    }
}
