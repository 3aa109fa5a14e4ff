package liftoff.image.uki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code liftoff inspect}'s reading of UKIs made by others: one assembled with objcopy the way
 * dracut --uefi does (fixed addresses, its own alignment), then signed by sbsign.
 */
class UkiInspectionTest {
    @TempDir
    Path dir;

    @Test
    void readsAUkiAssembledWithObjcopyAsDracutDoes() throws Exception {
        Path osrel = Files.writeString(dir.resolve("os-release"), "NAME=\"Dracut Test\"\nPRETTY_NAME=\"Dracut Test 1 (objcopy)\"\n");
        // dracut writes the command line with a trailing NUL.
        Path cmdline = Files.write(dir.resolve("cmdline.txt"), "root=/dev/sda1 quiet \0".getBytes(StandardCharsets.US_ASCII));
        Path uname = Files.writeString(dir.resolve("uname"), UkiFixtures.kernel().version());
        Path initrd = UkiFixtures.initrd(dir, 123_457);
        Path uki = dir.resolve("dracut.efi");
        UkiFixtures.check("objcopy",
                "--add-section", ".osrel=" + osrel, "--change-section-vma", ".osrel=0x20000",
                "--add-section", ".cmdline=" + cmdline, "--change-section-vma", ".cmdline=0x30000",
                "--add-section", ".uname=" + uname, "--change-section-vma", ".uname=0x40000",
                "--add-section", ".linux=" + UkiFixtures.kernel().image(), "--change-section-vma", ".linux=0x2000000",
                "--add-section", ".initrd=" + initrd, "--change-section-vma", ".initrd=0x3000000",
                UkiFixtures.stub().toString(), uki.toString());

        UkiInspection inspection = UkiInspection.of(uki);
        assertEquals(Optional.of("root=/dev/sda1 quiet"), inspection.cmdline());
        assertEquals(Optional.of(UkiFixtures.kernel().version()), inspection.uname());
        assertEquals("Dracut Test 1 (objcopy)", inspection.os());
        assertEquals("unsigned", inspection.signature());
        assertFalse(inspection.signatureHolds());
        assertEquals(ObjdumpSections.of(uki), ObjdumpSections.expected(uki));
        List<String> names = inspection.headers().sections().stream().map(PeSection::name).toList();
        assertEquals(List.of(".osrel", ".cmdline", ".uname", ".linux", ".initrd"), names.subList(names.size() - 5, names.size()));

        String report = inspection.report();
        assertTrue(report.startsWith(uki + ": PE32+ x86-64, 13 sections, " + Files.size(uki) + " bytes\n"), report);
        assertTrue(report.contains("\n.linux    0x02000000  0x00"), report);
        assertTrue(report.contains("\ncmdline:   root=/dev/sda1 quiet\n"), report);
        assertTrue(report.contains("\nos:        Dracut Test 1 (objcopy)\n"), report);
        assertTrue(report.endsWith("\nsignature: unsigned\n"), report);

        Path key = dir.resolve("snakeoil.key");
        UkiFixtures.check("openssl", "pkey", "-in", UkiFixtures.SNAKEOIL_KEY.toString(), "-passin", "pass:" + UkiFixtures.SNAKEOIL_PASSPHRASE,
                "-out", key.toString());
        Path signed = dir.resolve("signed.efi");
        UkiFixtures.check("sbsign", "--key", key.toString(), "--cert", UkiFixtures.SNAKEOIL_CERT.toString(), "--output", signed.toString(),
                uki.toString());
        UkiInspection signedInspection = UkiInspection.of(signed);
        assertTrue(signedInspection.signatureHolds(), signedInspection.signature());
        assertEquals("C=US,ST=Colorado,L=Fort Collins,O=SnakeOil (the image's SHA-256 Authenticode hash matches; "
                + "the signature verifies with its certificate)", signedInspection.signature());
    }

    @Test
    void aFileThatIsNoPeImageIsNamedWithTheReason() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not an image, but longer than an MS-DOS header ".repeat(3));
        PeFormatException e = assertThrows(PeFormatException.class, () -> UkiInspection.of(text));
        assertEquals(text + ": no MZ signature at the start: not a PE/COFF image", e.getMessage());
    }
}
