package liftoff.cpio;

/**
 * One piece of an image as the kernel sees it: a run of bytes at {@code offset}, uncompressed or
 * compressed as one stream, holding one or more cpio archives. Sizes include trailing NUL padding.
 */
public record Segment(int index, long offset, Compression compression, long compressedSize, long unpackedSize,
                      long entries) {
}
