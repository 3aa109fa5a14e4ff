package liftoff.image.uki;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;

/**
 * The Authenticode digest of a PE image, as Microsoft's "Windows Authenticode Portable Executable
 * Signature Format" defines it and UEFI firmware (EDK2's DxeImageVerificationLib) computes it: the
 * headers up to SizeOfHeaders without the CheckSum field and the certificate table entry, then each
 * section's raw data in the order of its file offset, then whatever follows the last section up to
 * the certificate table. The signature and the checksum can then be added without changing the digest.
 */
public final class AuthenticodeHash {
    private AuthenticodeHash() {}

    /** The SHA-256 Authenticode digest of the image in {@code file}. */
    public static byte[] sha256(FileChannel file, PeHeaders headers) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        long checksumEnd = headers.checksumOffset() + 4L;
        Regions.digest(file, 0, headers.checksumOffset(), digest);
        if (headers.hasCertificateEntry()) {
            long entryEnd = headers.certificateEntryOffset() + 8L;
            Regions.digest(file, checksumEnd, headers.certificateEntryOffset() - checksumEnd, digest);
            Regions.digest(file, entryEnd, headers.sizeOfHeaders() - entryEnd, digest);
        } else {
            Regions.digest(file, checksumEnd, headers.sizeOfHeaders() - checksumEnd, digest);
        }
        // EDK2 sums the bytes hashed and takes the rest of the file from there, as the format
        // describes; for the contiguous layout every tool writes, that is the data after the last section.
        long hashed = headers.sizeOfHeaders();
        for (PeSection section : headers.sections().stream().filter(s -> s.sizeOfRawData() > 0)
                .sorted(Comparator.comparingLong(PeSection::pointerToRawData)).toList()) {
            Regions.digest(file, section.pointerToRawData(), section.sizeOfRawData(), digest);
            hashed += section.sizeOfRawData();
        }
        long end = file.size() - headers.certificateTable().map(PeHeaders.Region::size).orElse(0L);
        if (end > hashed) Regions.digest(file, hashed, end - hashed, digest);
        return digest.digest();
    }
}
