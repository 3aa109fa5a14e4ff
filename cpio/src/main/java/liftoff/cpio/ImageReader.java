package liftoff.cpio;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an initramfs image the way the kernel's unpack_to_rootfs does: NUL bytes are skipped, "0" at
 * a 4-byte boundary starts an uncompressed archive, anything else must be the magic of a compression
 * whose stream holds one or more archives (with NUL padding between them). Entries of all segments
 * come out of {@link #next()} in order; nothing but the current header is kept in memory. An input
 * without a single segment (empty, or nothing but NULs) is an error, not an empty image: it is what a
 * truncated download or a full disk leaves behind.
 */
public final class ImageReader implements Closeable {
    private final ImageInput raw;
    private final List<Segment> segments = new ArrayList<>();
    /** The decoded stream of the current compressed segment, or null between segments and in uncompressed ones. */
    private ImageInput decoded;
    private CpioReader archive;
    private Compression compression;
    private long segmentOffset;
    private long entries;
    private int archives;

    private ImageReader(ImageInput raw) {
        this.raw = raw;
    }

    public static ImageReader open(Path image) throws IOException {
        return new ImageReader(ImageInput.of(FileChannel.open(image, StandardOpenOption.READ)));
    }

    /** Reads an image from a stream such as stdin; skipping bodies then means reading them. */
    public static ImageReader of(InputStream in) {
        return new ImageReader(new ImageInput(in));
    }

    /** The next entry of the image, or null at its end. The previous entry's unread body is skipped. */
    public Entry next() throws IOException {
        while (true) {
            if (archive != null) {
                Entry e = archive.next();
                if (e != null) {
                    entries++;
                    return e;
                }
                archive = null;
            }
            if (!startArchive()) return null;
        }
    }

    /** The current entry's body; see {@link CpioReader#body()}. */
    public InputStream body() {
        return archive.body();
    }

    /** The current entry's whole body when it is small (a symlink target). */
    public byte[] smallBody() throws IOException {
        return archive.smallBody();
    }

    /** Counts the archives started so far: hard links never span two archives, the kernel forgets them at TRAILER!!!. */
    public int archiveNumber() {
        return archives;
    }

    /** An error about the current entry, located the way the reader's own errors are. */
    CpioFormatException entryError(byte[] name, String problem) {
        return archive.error(name, problem);
    }

    /** The segments completed so far; all of them once {@link #next()} returned null. */
    public List<Segment> segments() {
        return List.copyOf(segments);
    }

    /** Opens the next archive, in the current compressed segment or in a new segment; false at the end of the image. */
    private boolean startArchive() throws IOException {
        if (decoded != null) {
            skipNuls(decoded);
            int have = decoded.ensure(1);
            if (have > 0 && decoded.peek(0) == '0') {
                archive = new CpioReader(decoded, where());
                archives++;
                return true;
            }
            if (have > 0) throw new CpioFormatException(where(), decoded.position(), null, "junk within compressed segment");
            endSegment(decoded.position());
            decoded = null;
        } else if (compression == Compression.NONE) {
            skipNuls(raw);
            long end = raw.position();
            endSegment(end - segmentOffset);
        }
        skipNuls(raw);
        if (raw.ensure(1) == 0) {
            if (segments.isEmpty()) throw CpioFormatException.noArchive(raw.position());
            return false;
        }
        segmentOffset = raw.position();
        entries = 0;
        if (raw.peek(0) == '0') {
            if ((segmentOffset & 3) != 0) throw new CpioFormatException(segmentOffset, null, "cpio archive at an offset not a multiple of 4");
            compression = Compression.NONE;
            archive = new CpioReader(raw, "offset");
            archives++;
            return true;
        }
        compression = Compression.detect(raw);
        if (compression == null) throw new CpioFormatException(segmentOffset, null, "neither a cpio archive nor a known compression");
        decoded = new ImageInput(new Guarded(openDecoder()));
        return startArchive();
    }

    private InputStream openDecoder() throws IOException {
        try {
            return compression.decoder(raw);
        } catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
    }

    private void endSegment(long unpacked) {
        segments.add(new Segment(segments.size(), segmentOffset, compression, raw.position() - segmentOffset, unpacked, entries));
        compression = null;
    }

    private String where() {
        return compression.label() + " segment at " + segmentOffset + ", unpacked offset";
    }

    private CpioFormatException corrupt(Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new CpioFormatException(compression.label() + " segment at offset", segmentOffset, null, "corrupt compressed data: " + why);
    }

    private static void skipNuls(ImageInput in) throws IOException {
        while (in.ensure(1) > 0 && in.peek(0) == 0) in.skip(1);
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

    /** Turns a decoder's complaints (of any exception type) into one CpioFormatException naming the segment. */
    private final class Guarded extends BulkInputStream {
        private final InputStream decoder;

        Guarded(InputStream decoder) {
            this.decoder = decoder;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return decoder.read(b, off, len);
            } catch (CpioFormatException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw corrupt(e);
            }
        }
    }
}
