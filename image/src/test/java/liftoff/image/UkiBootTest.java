package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import liftoff.image.qemu.Console;
import liftoff.image.qemu.DemoRoot;
import liftoff.image.qemu.EspImage;
import liftoff.image.qemu.Kernel;
import liftoff.image.qemu.Ovmf;
import liftoff.image.qemu.Qemu;
import liftoff.image.qemu.QemuExit;
import liftoff.image.qemu.QemuProcess;
import liftoff.image.uki.PeFile;
import liftoff.image.uki.PeSignature;
import liftoff.image.uki.SigningKey;
import liftoff.image.uki.UkiParts;
import liftoff.image.uki.UkiWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A liftoff UKI booted the way a machine boots it: OVMF (UEFI firmware) finds it as
 * \EFI\BOOT\BOOTX64.EFI on a FAT disk, systemd-stub hands the kernel its embedded initramfs and
 * command line (QEMU passes neither), and liftoff's init mounts the root disk beside it. Then with
 * Secure Boot enforced by Debian's snakeoil firmware: the UKI signed with the snakeoil key boots; the
 * same UKI unsigned, or signed and then changed in one byte of its initramfs, is refused.
 */
@Tag("qemu")
class UkiBootTest {
    /** Firmware, stub and kernel under TCG: slower than a -kernel boot, and Secure Boot hashes 40 MB in the guest. */
    private static final Duration BOOT = Duration.ofMinutes(8);
    /** The ESP is the first disk (/dev/vda), the root the second. */
    private static final String CMDLINE = "console=ttyS0 panic=-1 printk.time=1 root=/dev/vdb";

    @TempDir
    static Path work;
    static Path rootDisk;
    static Path unsignedEsp;
    static Path signedEsp;
    static Path tamperedEsp;

    @BeforeAll
    static void buildUkisAndDisks() throws Exception {
        Kernel kernel = Kernel.newestInstalled();
        Path initrd = work.resolve("initrd.img");
        BuildConfig config = BuildConfig.defaults().with("KERNEL_VERSION", kernel.version()).with("COMPRESS", "zstd");
        new ImageBuilder(work.resolve("cache"), 0, line -> { }).build(config, initrd);
        Path osRelease = Files.isRegularFile(Path.of("/etc/os-release")) ? Path.of("/etc/os-release") : Path.of("/usr/lib/os-release");

        Path unsigned = work.resolve("unsigned.efi");
        UkiWriter.write(new UkiParts(UkiParts.DEFAULT_STUB, kernel.image(), initrd, CMDLINE, Files.readAllBytes(osRelease),
                kernel.version(), Optional.empty(), Optional.empty(), "liftoff,1,liftoff,liftoff,test,urn:liftoff"), unsigned);
        Path signed = Files.copy(unsigned, work.resolve("signed.efi"));
        PeSignature.sign(signed, SigningKey.load(Ovmf.SNAKEOIL_KEY, Ovmf.SNAKEOIL_CERT, Ovmf.SNAKEOIL_PASSPHRASE::toCharArray));
        Path tampered = Files.copy(signed, work.resolve("tampered.efi"));
        flipAByteOfTheInitrd(tampered);

        unsignedEsp = esp(unsigned);
        signedEsp = esp(signed);
        tamperedEsp = esp(tampered);
        rootDisk = work.resolve("root.img");
        DemoRoot.standard().writeTo(rootDisk);
    }

    private static Path esp(Path uki) throws Exception {
        Path esp = work.resolve(uki.getFileName() + ".esp");
        EspImage.write(esp, uki);
        return esp;
    }

    private static void flipAByteOfTheInitrd(Path uki) throws Exception {
        long at;
        try (PeFile pe = PeFile.open(uki)) {
            at = pe.headers().section(".initrd").orElseThrow().pointerToRawData() + 4096;
        }
        try (RandomAccessFile file = new RandomAccessFile(uki.toFile(), "rw")) {
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x20);
        }
    }

    private static Qemu uefi(Ovmf firmware, Path esp) {
        return Qemu.uefi(firmware, work.resolve("vars-" + esp.getFileName())).disk(esp).disk(rootDisk).timeout(BOOT);
    }

    /** The stub gave the kernel the embedded command line (QEMU gave none), and liftoff booted the root. */
    private static void assertBootedFromTheUki(QemuExit exit) {
        assertTrue(exit.console().contains("Command line: " + CMDLINE + "\n"), "the kernel ran with the UKI's command line\n" + exit.console());
        RealRoot.assertReachedOn(exit, "/dev/vdb");
        assertTrue(exit.console().contains("liftoff: root mounted /dev/vdb on /newroot (ext4, ro)"), exit.console());
    }

    @Test
    void ovmfBootsTheUkiAndLiftoffMountsTheRoot() throws Exception {
        QemuExit exit = uefi(Ovmf.STANDARD, unsignedEsp).run();
        assertBootedFromTheUki(exit);
        assertFalse(exit.console().contains("Secure Boot is enabled"), exit.console());
    }

    @Test
    void secureBootStartsTheUkiSignedWithTheEnrolledKey() throws Exception {
        QemuExit exit = uefi(Ovmf.SNAKEOIL, signedEsp).run();
        assertBootedFromTheUki(exit);
        assertTrue(exit.console().contains("secureboot: Secure boot enabled"), "the kernel saw Secure Boot on\n" + exit.console());
    }

    @Test
    void secureBootRefusesTheUnsignedUki() throws Exception {
        assertRefused(unsignedEsp);
    }

    @Test
    void secureBootRefusesTheUkiChangedAfterSigning() throws Exception {
        assertRefused(tamperedEsp);
    }

    /** OVMF's boot manager says the image failed verification, tries its other options, and no kernel starts. */
    private static void assertRefused(Path esp) throws Exception {
        try (QemuProcess vm = uefi(Ovmf.SNAKEOIL, esp).start()) {
            Console console = vm.console();
            // The ESP's boot option: OVMF numbers the disks' options in PCI order, the ESP is first.
            console.await(Pattern.compile("BdsDxe: failed to load Boot\\d+ \"UEFI [^\"]*\" from PciRoot[^:]*: Access Denied"), BOOT);
            console.await("BdsDxe: No bootable option or device was found.", Duration.ofMinutes(2));
            assertFalse(console.text().contains("Linux version"), console.text());
            assertFalse(console.text().contains("EFI stub:"), console.text());
        }
    }
}
