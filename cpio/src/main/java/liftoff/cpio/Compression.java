package liftoff.cpio;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.SingleXZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * The compressions the kernel unpacks an initramfs segment with, detected by magic the way
 * lib/decompress.c does. Decoders stop exactly at the end of their segment, so what follows it
 * (NUL padding, another segment) is read next.
 */
public enum Compression {
    NONE(0, 0, 0, null),
    GZIP(1, 9, 6, new int[] {0x1f, 0x8b}),
    BZIP2(0, 0, 0, new int[] {'B', 'Z', 'h'}),
    LZMA(0, 0, 0, new int[] {0x5d, 0x00, 0x00}),
    XZ(0, 9, 6, new int[] {0xfd, '7', 'z', 'X', 'Z', 0x00}),
    LZO(0, 0, 0, new int[] {0x89, 'L', 'Z', 'O'}),
    LZ4(0, 0, 0, new int[] {0x02, 0x21, 0x4c, 0x18}),
    ZSTD(1, 19, 3, new int[] {0x28, 0xb5, 0x2f, 0xfd});

    /** The most memory an xz or lzma header may ask for: xz -9 needs 65 MiB; a hostile header asks for GiBs. */
    private static final int DECODER_MEMORY_KIB = 256 * 1024;

    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;
    private final int[] magic;

    Compression(int minLevel, int maxLevel, int defaultLevel, int[] magic) {
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
        this.magic = magic;
    }

    /** A compression and its level, as given on a command line ("zstd:19", "gzip", "none"). */
    public record Setting(Compression compression, int level) {
        /** Wraps {@code out}; closing the result finishes the compressed stream and closes {@code out}. */
        public OutputStream open(OutputStream out) throws IOException {
            return compression.compress(out, level);
        }

        /**
         * Wraps {@code image} for one segment of a multi-segment image: closing the result finishes
         * the compressed stream (its trailer, its checksum) but leaves {@code image} open for the next.
         */
        public OutputStream openSegment(OutputStream image) throws IOException {
            return open(new FilterOutputStream(image) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            });
        }

        @Override
        public String toString() {
            return compression.minLevel == compression.maxLevel ? compression.label() : compression.label() + ":" + level;
        }
    }

    /** Parses "ALG" or "ALG:LEVEL" for a writable compression; throws IllegalArgumentException with a usable message. */
    public static Setting parse(String text) {
        String[] parts = text.split(":", 2);
        Compression c;
        try {
            c = valueOf(parts[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown compression \"" + parts[0] + "\" (none, gzip, zstd, xz, lz4)");
        }
        if (!c.writable()) throw new IllegalArgumentException(c.label() + " is read-only; write none, gzip, zstd, xz or lz4");
        if (parts.length == 1) return new Setting(c, c.defaultLevel);
        if (c.minLevel == c.maxLevel) throw new IllegalArgumentException(c.label() + " takes no level");
        int level;
        try {
            level = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            level = -1;
        }
        if (level < c.minLevel || level > c.maxLevel) {
            throw new IllegalArgumentException(c.label() + " level must be " + c.minLevel + ".." + c.maxLevel + ", not " + parts[1]);
        }
        return new Setting(c, level);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean writable() {
        return this == NONE || this == GZIP || this == ZSTD || this == XZ || this == LZ4;
    }

    /** The compression whose magic starts the next bytes of {@code in}, or null. */
    static Compression detect(ImageInput in) throws IOException {
        in.ensure(6);
        for (Compression c : values()) {
            if (c.magic != null && matches(in, c.magic)) return c;
        }
        return null;
    }

    private static boolean matches(ImageInput in, int[] magic) {
        for (int i = 0; i < magic.length; i++) if (in.peek(i) != magic[i]) return false;
        return true;
    }

    private OutputStream compress(OutputStream out, int level) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 1 << 16) {
                { def.setLevel(level); }
            };
            case ZSTD -> new ZstdOutputStreamNoFinalizer(out, level).setChecksum(true);
            // The kernel's xz decoder verifies CRC32 (or no check) only: never the default CRC64.
            case XZ -> new XZOutputStream(out, new LZMA2Options(level), org.tukaani.xz.XZ.CHECK_CRC32);
            case LZ4 -> new Lz4Legacy.Output(out);
            default -> throw new IllegalStateException(label() + " is read-only");
        };
    }

    /** A decoder reading from {@code in} that leaves {@code in} exactly at the end of the segment. */
    InputStream decoder(ImageInput in) throws IOException {
        return switch (this) {
            case GZIP -> new GzipMember(in);
            case ZSTD -> new ZstdInputStreamNoFinalizer(new ZstdFrames(in));
            case XZ -> new SingleXZInputStream(in, DECODER_MEMORY_KIB);
            case LZMA -> new LZMAInputStream(in, DECODER_MEMORY_KIB);
            case BZIP2 -> new BZip2CompressorInputStream(in, false);
            case LZ4 -> new Lz4Legacy.Input(in);
            case LZO -> new LzopMember(in);
            case NONE -> throw new IllegalStateException("no decoder for uncompressed data");
        };
    }
}
