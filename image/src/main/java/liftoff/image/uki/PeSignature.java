package liftoff.image.uki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * The attribute certificate table of a PE image, where an Authenticode signature lives: one
 * WIN_CERTIFICATE (length, revision 2.0, type PKCS_SIGNED_DATA, the PKCS#7 bytes) at an 8-byte
 * aligned offset after everything else, named by the optional header's certificate table entry (a
 * file offset, and not loaded into memory). Signing pads the file to 8 bytes first, so the padding
 * is part of what the Authenticode hash covers, as it is for sbsign.
 */
public final class PeSignature {
    private static final int HEADER = 8;
    private static final short REVISION_2_0 = 0x0200;
    private static final short PKCS_SIGNED_DATA = 0x0002;

    private PeSignature() {}

    /** Signs the unsigned image {@code image} in place with {@code key}, then updates its checksum. */
    public static void sign(Path image, SigningKey key) throws IOException {
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            PeHeaders headers = PeHeaders.read(file);
            if (headers.certificateTable().isPresent()) throw new PeFormatException(image + ": already signed");
            if (!headers.hasCertificateEntry()) {
                throw new PeFormatException(image + ": its optional header has no certificate table entry");
            }
            long tableAt = SectionLayout.alignUp(file.size(), 8);
            write(file, file.size(), new byte[(int) (tableAt - file.size())]);
            byte[] pkcs7 = AuthenticodeSignature.sign(AuthenticodeHash.sha256(file, headers), key);
            int length = HEADER + pkcs7.length;
            int padded = (int) SectionLayout.alignUp(length, 8);
            ByteBuffer certificate = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(length).putShort(REVISION_2_0).putShort(PKCS_SIGNED_DATA).put(pkcs7);
            write(file, tableAt, certificate.array());
            Regions.write(file, headers.certificateEntryOffset(), (int) tableAt);
            Regions.write(file, headers.certificateEntryOffset() + 4, padded);
            PeChecksum.update(file);
        }
    }

    /** The PKCS#7 bytes of the image's first certificate; empty when the image is not signed. */
    public static Optional<byte[]> pkcs7(PeFile image) throws IOException {
        Optional<PeHeaders.Region> table = image.headers().certificateTable();
        if (table.isEmpty()) return Optional.empty();
        ByteBuffer certificate = Regions.read(image.channel(), table.get().offset(), (int) table.get().size(), "the certificate table");
        int length = certificate.getInt(0);
        if (length < HEADER || length > table.get().size()) throw new PeFormatException("the certificate table's first entry has length " + length);
        if (certificate.getShort(6) != PKCS_SIGNED_DATA) {
            throw new PeFormatException(String.format("the certificate is of type 0x%x, not PKCS#7 signed data", certificate.getShort(6)));
        }
        return Optional.of(Arrays.copyOfRange(certificate.array(), HEADER, length));
    }

    private static void write(FileChannel file, long position, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) file.write(buffer, position + buffer.position());
    }
}
