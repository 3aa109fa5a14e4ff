package liftoff.image;

import static liftoff.image.qemu.TestBoot.BOOT;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import liftoff.image.TestImages.Image;
import liftoff.image.qemu.Console;
import liftoff.image.qemu.DemoRoot;
import liftoff.image.qemu.Qemu;
import liftoff.image.qemu.QemuExit;
import liftoff.image.qemu.QemuProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LUKS roots booted for real: the demo ext4 root encrypted in place by cryptsetup (reencrypt
 * --encrypt; LUKS1 by converting the header), the passphrase typed on the serial console by the
 * test, the dm-crypt mapping made by the init, the real init started from it. Key derivations
 * are kept cheap (64 KiB argon2, 1000 PBKDF2 iterations): the init runs interpreted under TCG.
 */
@Tag("qemu")
class LuksBootTest {
    private static final String PASSPHRASE = "open sesame";
    private static final UUID ARGON2 = UUID.fromString("a2a2a2a2-0000-4000-8000-000000000001");
    private static final UUID PBKDF2 = UUID.fromString("b2b2b2b2-0000-4000-8000-000000000002");
    private static final UUID LUKS1 = UUID.fromString("c1c1c1c1-0000-4000-8000-000000000003");

    @TempDir
    static Path work;
    static Image image;

    @BeforeAll
    static void buildImage() throws Exception {
        Path keyFile = Files.writeString(work.resolve("root.key"), "key file contents\n");
        image = TestImages.build("RESCUE=busybox", "INCLUDE=" + keyFile + ":/etc/luks/root.key");
    }

    /** The demo root in {@code name}.img, encrypted in place ({@link TestDisks#luks}). */
    private static Path encryptedRoot(String name, UUID uuid, boolean luks1, String secret, String... kdf) throws Exception {
        return TestDisks.luks(work.resolve(name + ".img"), uuid, luks1, secret, kdf);
    }

    private static Qemu qemu(Path disk, String append) {
        return image.qemu(append).disk(disk);
    }

    private static void assertRealInitOn(QemuExit exit, String mapping) {
        assertTrue(exit.timeline().reachedRealInit(), exit.console());
        assertTrue(exit.console().contains(" opened as /dev/mapper/" + mapping), exit.console());
        assertTrue(exit.console().matches("(?s).*REAL-ROOT uptime=\\S+ pid=1 root=/dev/(mapper/" + mapping + "|dm-0).*"), exit.console());
    }

    @Test
    void luks2Argon2idWithThePassphraseTypedOnTheConsole() throws Exception {
        Path disk = encryptedRoot("argon2id", ARGON2, false, PASSPHRASE,
                "--pbkdf", "argon2id", "--pbkdf-memory", "64", "--pbkdf-force-iterations", "4", "--pbkdf-parallel", "1");
        try (QemuProcess vm = qemu(disk, "rd.luks.name=" + ARGON2 + "=root root=/dev/mapper/root").start()) {
            Console console = vm.console();
            console.await("Passphrase for /dev/vda (" + ARGON2 + "): ", BOOT);
            console.type(PASSPHRASE + "\n");
            QemuExit exit = vm.waitFor();
            assertRealInitOn(exit, "root");
            assertFalse(exit.console().contains(PASSPHRASE), "the passphrase was echoed or logged");
        }
    }

    @Test
    void anExpensiveArgon2KeyslotIsDerivedInAJitCompiledJvm() throws Exception {
        Path disk = encryptedRoot("costly", ARGON2, false, PASSPHRASE,
                "--pbkdf", "argon2id", "--pbkdf-memory", "65536", "--pbkdf-force-iterations", "4", "--pbkdf-parallel", "1");
        try (QemuProcess vm = qemu(disk, "rd.luks.name=" + ARGON2 + "=root root=/dev/mapper/root").start()) {
            vm.console().await("expensive keyslots: the key is derived in a second, JIT-compiled JVM", BOOT);
            vm.console().await("Passphrase for /dev/vda (" + ARGON2 + "): ", BOOT);
            vm.console().type(PASSPHRASE + "\n");
            assertRealInitOn(vm.waitFor(), "root");
        }
    }

    @Test
    void luks2Pbkdf2WithAKeyFileInTheImageAndTheRootByFilesystemUuid() throws Exception {
        Path disk = encryptedRoot("keyfile", PBKDF2, false, "key file contents\n",
                "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000");
        QemuExit exit = qemu(disk, "rd.luks.uuid=" + PBKDF2 + " rd.luks.key=/etc/luks/root.key rd.luks.options=discard"
                + " root=UUID=" + DemoRoot.standard().uuid()).run();
        assertRealInitOn(exit, "luks-" + PBKDF2);
        assertTrue(exit.console().contains("(discards allowed)"), exit.console());
        assertFalse(exit.console().contains("Passphrase for"), "no prompt with a working key file");
    }

    /** An image with only these modules (and the key file), with the kernel's modules under {@code modulesDir}. */
    private static Image imageWith(Path modulesDir, String... modules) throws Exception {
        return TestImages.build("RESCUE=busybox", "INCLUDE=" + work.resolve("root.key") + ":/etc/luks/root.key",
                "MODULES_DIR=" + modulesDir, "MODULES=" + String.join(" ", modules));
    }

    @Test
    void anImageWithAnExplicitModuleListNamingDmCryptOpensADefaultLuks2Volume() throws Exception {
        // liftoff build --module virtio_pci --module virtio_blk --module dm_crypt: the cipher's modules come with dm_crypt.
        Image explicit = imageWith(Path.of("/lib/modules"), "virtio_pci", "virtio_blk", "dm_crypt");
        Path disk = encryptedRoot("explicit", PBKDF2, false, "key file contents\n", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000");
        QemuExit exit = explicit.qemu("rd.luks.uuid=" + PBKDF2 + " rd.luks.key=/etc/luks/root.key root=UUID="
                + DemoRoot.standard().uuid()).disk(disk).run();
        assertRealInitOn(exit, "luks-" + PBKDF2);
        assertTrue(exit.console().contains("cipher aes-xts-plain64: loaded "), exit.console());
    }

    /**
     * The kernel's modules as a kernel built without {@code gone} would have them: modules.dep and
     * modules.alias without their lines (the module files stay, unlisted, as in a stale tree).
     */
    private static Path modulesWithout(String... gone) throws IOException {
        Path real = Path.of("/lib/modules", image.kernel().version());
        Path copy = Files.createDirectories(work.resolve("modules-without").resolve(image.kernel().version()));
        Files.createSymbolicLink(copy.resolve("kernel"), real.resolve("kernel"));
        Files.copy(real.resolve("modules.builtin"), copy.resolve("modules.builtin"));
        Files.copy(real.resolve("modules.softdep"), copy.resolve("modules.softdep"));
        Files.write(copy.resolve("modules.dep"), Files.readAllLines(real.resolve("modules.dep")).stream()
                .filter(line -> Arrays.stream(gone).noneMatch(module -> line.contains("/" + module + ".ko"))).toList());
        Files.write(copy.resolve("modules.alias"), Files.readAllLines(real.resolve("modules.alias")).stream()
                .filter(line -> Arrays.stream(gone).noneMatch(module -> line.endsWith(" " + module.replace('-', '_')))).toList());
        return copy.getParent();
    }

    @Test
    void aCipherTheKernelCannotBuildIsNamedWithTheBuildOptionThatAddsIt() throws Exception {
        // A kernel without the xts template (and without AES-NI, whose driver has its own xts(aes)): the table load fails
        // with ENOENT, and the rescue shell says what is missing instead of the bare ioctl error.
        Image noXts = imageWith(modulesWithout("xts", "aesni-intel"), "virtio_pci", "virtio_blk", "dm_crypt");
        Path disk = encryptedRoot("noxts", PBKDF2, false, "key file contents\n", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000");
        try (QemuProcess vm = noXts.qemu("rd.luks.uuid=" + PBKDF2 + " rd.luks.key=/etc/luks/root.key root=UUID="
                + DemoRoot.standard().uuid()).disk(disk).start()) {
            Console console = vm.console();
            console.await("liftoff: cannot boot: cannot map the LUKS device /dev/vda: the kernel has no \"xts(aes)\""
                    + " for the cipher aes-xts-plain64: build the image with --module xts (ioctl(", BOOT);
            console.await("(liftoff rescue) # ", Duration.ofSeconds(60));
            console.type("busybox poweroff -f\n");
            QemuExit exit = vm.waitFor();
            assertFalse(exit.timedOut(), exit.console());
            assertFalse(exit.timeline().reachedRealInit());
            assertTrue(exit.console().contains("ENOENT"), exit.console());
        }
    }

    @Test
    void luks1WithThePassphraseTypedOnTheConsole() throws Exception {
        Path disk = encryptedRoot("luks1", LUKS1, true, PASSPHRASE, "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000");
        try (QemuProcess vm = qemu(disk, "rd.luks.uuid=luks-" + LUKS1 + " root=/dev/mapper/luks-" + LUKS1).start()) {
            vm.console().await("Passphrase for /dev/vda (" + LUKS1 + "): ", BOOT);
            vm.console().type(PASSPHRASE + "\n");
            assertRealInitOn(vm.waitFor(), "luks-" + LUKS1);
        }
    }

    @Test
    void threeWrongPassphrasesEndInTheRescueShellWithTheReason() throws Exception {
        Path disk = encryptedRoot("wrong", PBKDF2, false, PASSPHRASE, "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000");
        try (QemuProcess vm = qemu(disk, "rd.luks.uuid=" + PBKDF2 + " root=/dev/mapper/luks-" + PBKDF2).start()) {
            Console console = vm.console();
            for (int attempt = 1; attempt <= 3; attempt++) {
                console.await("Passphrase for /dev/vda (" + PBKDF2 + "): ", BOOT);
                console.type("wrong " + attempt + "\n");
                console.await("liftoff: wrong passphrase for /dev/vda (try " + attempt + " of 3)", Duration.ofMinutes(1));
            }
            console.await("liftoff: cannot boot: wrong passphrase for the LUKS device /dev/vda (" + PBKDF2 + "), 3 tries", BOOT);
            QemuExit exit = RescueShell.powerOff(vm, "ls /dev/mapper");
            assertFalse(exit.timeline().reachedRealInit());
            assertFalse(exit.console().contains("wrong 1"), "a typed passphrase was echoed");
        }
    }
}
