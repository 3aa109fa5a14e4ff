package liftoff.cpio;

import java.io.IOException;

/** A decoded stream made of whole blocks (lz4 legacy, lzop): subclasses decode the next block, this serves its bytes. */
abstract class BlockStream extends BulkInputStream {
    private byte[] block = new byte[0];
    private int pos;
    private boolean ended;

    /** The next decoded block (possibly empty), or null after the last one. */
    protected abstract byte[] nextBlock() throws IOException;

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        while (pos == block.length) {
            if (ended) return -1;
            byte[] next = nextBlock();
            if (next == null) {
                ended = true;
                return -1;
            }
            block = next;
            pos = 0;
        }
        int n = Math.min(len, block.length - pos);
        System.arraycopy(block, pos, b, off, n);
        pos += n;
        return n;
    }
}
