package liftoff.cpio;

/**
 * One piece of an image as the kernel sees it: a run of bytes at {@code offset}, uncompressed or
 * compressed as one stream, holding one or more cpio archives. An uncompressed segment's size includes
 * the NUL padding after its trailer; a compressed segment's is its stream's, without the NULs after it.
 */
public record Segment(int index, long offset, Compression compression, long compressedSize, long unpackedSize,
                      long entries) {
}
