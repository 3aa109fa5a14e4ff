package liftoff.image.uki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authenticode signatures made here, checked by sbverify (sbsigntool, OpenSSL's PKCS#7 code, as
 * firmware uses it), and the hash checked against signatures Debian's and sbsign's tools made.
 */
class PeSignatureTest {
    @TempDir
    Path dir;

    private Path unsignedUki(String name) throws Exception {
        Path uki = dir.resolve(name);
        UkiWriter.write(UkiFixtures.parts(UkiFixtures.stub(), UkiFixtures.initrd(dir, 200_003)), uki);
        return uki;
    }

    @Test
    void sbverifyAcceptsTheSignatureWithItsCertificateOnly() throws Exception {
        Path uki = unsignedUki("uki.efi");
        PeSignature.sign(uki, UkiFixtures.snakeoil());
        UkiFixtures.check("sbverify", "--cert", UkiFixtures.SNAKEOIL_CERT.toString(), uki.toString());

        Path otherKey = dir.resolve("other.key");
        Path otherCert = dir.resolve("other.pem");
        UkiFixtures.check("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", otherKey.toString(),
                "-out", otherCert.toString(), "-subj", "/CN=another signer", "-days", "1");
        assertNotEquals(0, UkiFixtures.run(List.of("sbverify", "--cert", otherCert.toString(), uki.toString())).status());

        try (PeFile pe = PeFile.open(uki)) {
            PeHeaders.Region table = pe.headers().certificateTable().orElseThrow();
            assertEquals(0, table.offset() % 8);
            assertEquals(0, table.size() % 8);
            assertEquals(Files.size(uki), table.end(), "the certificate table ends the file");
            assertEquals(PeChecksum.compute(pe.channel(), pe.headers().checksumOffset()), pe.headers().checksum());
        }
        UkiInspection inspection = UkiInspection.of(uki);
        assertTrue(inspection.signatureHolds(), inspection.signature());
        assertTrue(inspection.signature().startsWith("C=US,ST=Colorado,L=Fort Collins,O=SnakeOil ("), inspection.signature());
    }

    @Test
    void aByteOfTheInitrdChangedAfterSigningBreaksTheSignature() throws Exception {
        Path uki = unsignedUki("uki.efi");
        PeSignature.sign(uki, UkiFixtures.snakeoil());
        long at;
        try (PeFile pe = PeFile.open(uki)) {
            at = pe.headers().section(".initrd").orElseThrow().pointerToRawData() + 1000;
        }
        try (RandomAccessFile file = new RandomAccessFile(uki.toFile(), "rw")) {
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 1);
        }
        UkiFixtures.Run sbverify = UkiFixtures.run(List.of("sbverify", "--cert", UkiFixtures.SNAKEOIL_CERT.toString(), uki.toString()));
        assertNotEquals(0, sbverify.status(), sbverify.output());
        UkiInspection inspection = UkiInspection.of(uki);
        assertFalse(inspection.signatureHolds());
        assertTrue(inspection.signature().contains("hash DOES NOT MATCH: changed after signing"), inspection.signature());
    }

    @Test
    void theSameImageAndKeyGiveTheSameBytes() throws Exception {
        Path first = unsignedUki("first.efi");
        Path second = unsignedUki("second.efi");
        assertEquals(-1, Files.mismatch(first, second), "the unsigned images are the same");
        PeSignature.sign(first, UkiFixtures.snakeoil());
        PeSignature.sign(second, UkiFixtures.snakeoil());
        assertEquals(-1, Files.mismatch(first, second), "the signed images are the same");
    }

    @Test
    void theHashIsWhatDebiansKernelSignatureAndSbsignSign() throws Exception {
        Path kernel = UkiFixtures.kernel().image();
        try (PeFile pe = PeFile.open(kernel)) {
            AuthenticodeSignature.Signer signer = AuthenticodeSignature.read(PeSignature.pkcs7(pe).orElseThrow());
            assertTrue(signer.isSha256());
            assertArrayEquals(signer.imageDigest(), AuthenticodeHash.sha256(pe.channel(), pe.headers()), "Debian's kernel signature");
            assertTrue(signer.signatureValid());
            assertTrue(signer.subject().contains("Debian"), signer.subject());
        }

        Path uki = unsignedUki("uki.efi");
        Path plainKey = dir.resolve("snakeoil.key");
        UkiFixtures.check("openssl", "pkey", "-in", UkiFixtures.SNAKEOIL_KEY.toString(), "-passin", "pass:" + UkiFixtures.SNAKEOIL_PASSPHRASE,
                "-out", plainKey.toString());
        Path bySbsign = dir.resolve("sbsign.efi");
        UkiFixtures.check("sbsign", "--key", plainKey.toString(), "--cert", UkiFixtures.SNAKEOIL_CERT.toString(),
                "--output", bySbsign.toString(), uki.toString());
        Path byLiftoff = Files.copy(uki, dir.resolve("liftoff.efi"));
        PeSignature.sign(byLiftoff, UkiFixtures.snakeoil());
        try (PeFile sbsigned = PeFile.open(bySbsign); PeFile ours = PeFile.open(byLiftoff)) {
            byte[] sbsignDigest = AuthenticodeSignature.read(PeSignature.pkcs7(sbsigned).orElseThrow()).imageDigest();
            assertArrayEquals(sbsignDigest, AuthenticodeHash.sha256(sbsigned.channel(), sbsigned.headers()), "sbsign's signature");
            assertArrayEquals(sbsignDigest, AuthenticodeSignature.read(PeSignature.pkcs7(ours).orElseThrow()).imageDigest(),
                    "sbsign and liftoff sign the same digest");
        }
    }

    @Test
    void anImageIsSignedOnce() throws Exception {
        Path uki = unsignedUki("uki.efi");
        PeSignature.sign(uki, UkiFixtures.snakeoil());
        IOException e = assertThrows(IOException.class, () -> PeSignature.sign(uki, UkiFixtures.snakeoil()));
        assertEquals(uki + ": already signed", e.getMessage());
    }

    @Test
    void keysAsSbsignTakesThemAndClearErrorsForTheRest() throws Exception {
        Path rsa = dir.resolve("rsa.key");
        Path der = dir.resolve("rsa.der");
        UkiFixtures.check("openssl", "genrsa", "-traditional", "-out", rsa.toString(), "2048");
        assertTrue(Files.readString(rsa).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        UkiFixtures.check("openssl", "req", "-new", "-x509", "-key", rsa.toString(), "-outform", "DER", "-out", der.toString(),
                "-subj", "/CN=pkcs1 and der", "-days", "1");
        assertEquals("CN=pkcs1 and der", SigningKey.load(rsa, der, () -> null).certificate().getSubjectX500Principal().getName());

        Path traditional = dir.resolve("traditional.key");
        UkiFixtures.check("openssl", "rsa", "-in", rsa.toString(), "-traditional", "-aes256", "-passout", "pass:secret",
                "-out", traditional.toString());
        assertTrue(Files.readString(traditional).contains("Proc-Type: 4,ENCRYPTED"));
        assertEquals("CN=pkcs1 and der", SigningKey.load(traditional, der, "secret"::toCharArray).subject());

        assertEquals(UkiFixtures.SNAKEOIL_KEY + ": the key is encrypted and no passphrase was given",
                assertThrows(IOException.class, () -> SigningKey.load(UkiFixtures.SNAKEOIL_KEY, UkiFixtures.SNAKEOIL_CERT, () -> null)).getMessage());
        assertTrue(assertThrows(IOException.class, () -> SigningKey.load(UkiFixtures.SNAKEOIL_KEY, UkiFixtures.SNAKEOIL_CERT,
                "wrong"::toCharArray)).getMessage().startsWith(UkiFixtures.SNAKEOIL_KEY + ": cannot decrypt the key (wrong passphrase?)"));
        assertEquals(rsa + ": the key does not belong to the certificate " + UkiFixtures.SNAKEOIL_CERT,
                assertThrows(IOException.class, () -> SigningKey.load(rsa, UkiFixtures.SNAKEOIL_CERT, () -> null)).getMessage());

        Path ec = dir.resolve("ec.key");
        Path ecCert = dir.resolve("ec.pem");
        UkiFixtures.check("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", ec.toString(), "-out", ecCert.toString(), "-subj", "/CN=ec", "-days", "1");
        assertEquals(ec + ": an RSA key is needed (UEFI firmware verifies RSA signatures), this is EC",
                assertThrows(IOException.class, () -> SigningKey.load(ec, ecCert, () -> null)).getMessage());
        assertTrue(assertThrows(IOException.class, () -> SigningKey.load(ecCert, ecCert, () -> null)).getMessage()
                .startsWith(ecCert + ": a PEM "), "a certificate given as the key");
    }
}
