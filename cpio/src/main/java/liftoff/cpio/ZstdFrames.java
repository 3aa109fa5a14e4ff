package liftoff.cpio;

import java.io.IOException;

/**
 * Passes through a run of zstd frames (and skippable frames) and ends exactly after the last one, by
 * following the frame format's header and block sizes (RFC 8878, section 3.1). The decoder then cannot
 * read past its segment into the NUL padding or the next segment.
 */
final class ZstdFrames extends BulkInputStream {
    private static final long FRAME_MAGIC = 0xFD2FB528L;

    private final ImageInput in;
    /** Bytes of the current structural part left to pass through. */
    private long partLeft;
    private boolean inFrame;
    private boolean lastBlock;
    private int checksumSize;
    private boolean ended;

    ZstdFrames(ImageInput in) {
        this.in = in;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (partLeft == 0) {
            if (ended || !nextPart()) return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, partLeft));
        if (n < 0) return -1;  // truncated: the decoder reports it
        partLeft -= n;
        return n;
    }

    /** Measures the next frame header, block or checksum; false at the end of the run of frames. */
    private boolean nextPart() throws IOException {
        if (!inFrame) {
            if (in.ensure(8) < 8) return end();
            long magic = le(0, 4);
            if (magic == FRAME_MAGIC) {
                int fhd = in.peek(4);
                boolean single = (fhd & 0x20) != 0;
                int dictSize = new int[] {0, 1, 2, 4}[fhd & 3];
                int fcsSize = new int[] {single ? 1 : 0, 2, 4, 8}[fhd >>> 6];
                checksumSize = (fhd & 4) != 0 ? 4 : 0;
                partLeft = 5 + (single ? 0 : 1) + dictSize + fcsSize;
                inFrame = true;
                lastBlock = false;
            } else if ((magic & 0xFFFFFFF0L) == 0x184D2A50L) {
                partLeft = 8 + le(4, 4);
            } else {
                return end();
            }
            return true;
        }
        if (lastBlock) {
            inFrame = false;
            partLeft = checksumSize;
            return true;
        }
        if (in.ensure(3) < 3) return end();
        long header = le(0, 3);
        lastBlock = (header & 1) != 0;
        int type = (int) (header >>> 1) & 3;
        long blockSize = header >>> 3;
        partLeft = 3 + (type == 1 ? 1 : blockSize);
        return true;
    }

    private boolean end() {
        ended = true;
        return false;
    }

    private long le(int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = v << 8 | in.peek(at + i);
        return v;
    }
}
