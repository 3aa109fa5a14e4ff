package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import liftoff.cpio.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildConfigTest {
    @Test
    void aMissingDefaultFileMeansDefaults(@TempDir Path dir) throws IOException {
        BuildConfig config = BuildConfig.loadIfPresent(dir.resolve("liftoff.conf"));
        assertEquals(BuildConfig.defaults(), config);
        assertEquals(List.of("storage", "filesystems", "verity", "crypt"), config.modules());
        assertEquals(Compression.NONE, config.compress().compression());
        assertEquals(Path.of(System.getProperty("java.home")), config.jdk());
    }

    @Test
    void readsShellStyleAssignmentsLikeMkinitcpioConf(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("liftoff.conf"), """
                # liftoff.conf
                MODULES="virtio_blk nvme"   # a comment
                export COMPRESS=lz4
                RESCUE='busybox'
                INCLUDE=(
                    /etc/hostname
                    "/etc/os-release:/etc/initrd-release"  # arrays may span lines
                )
                KERNEL_VERSION=6.1.0-56-cloud-amd64
                MICROCODE=no
                FIRMWARE_DIR=/srv/fw\\ dir
                FSCK=""
                HOSTONLY=yes
                """);
        BuildConfig config = BuildConfig.load(file);
        assertEquals(List.of("virtio_blk", "nvme"), config.modules());
        assertEquals(Compression.LZ4, config.compress().compression());
        assertEquals(BuildConfig.Rescue.BUSYBOX, config.rescue());
        assertEquals(List.of(new BuildConfig.Include(Path.of("/etc/hostname"), "/etc/hostname"),
                new BuildConfig.Include(Path.of("/etc/os-release"), "/etc/initrd-release")), config.includes());
        assertEquals(Optional.of(new KernelVersion("6.1.0-56-cloud-amd64", "KERNEL_VERSION in " + file + ":9")), config.kernelVersion());
        assertFalse(config.microcode());
        assertEquals(Path.of("/srv/fw dir"), config.firmwareDir());
        assertEquals(List.of(), config.fsck());
        assertTrue(config.hostonly());
        assertEquals(List.of("e2fsck"), BuildConfig.defaults().fsck());
        assertFalse(BuildConfig.defaults().hostonly());
    }

    /** A file named on the command line must be there: silently building with the defaults is not what was asked. */
    @Test
    void aNamedFileMustExist(@TempDir Path dir) {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> BuildConfig.load(dir.resolve("nonexistent.conf")));
        assertEquals(dir.resolve("nonexistent.conf").toString(), e.getFile());
    }

    @Test
    void aDirectoryIsNotAConfigFile(@TempDir Path dir) {
        FileSystemException e = assertThrows(FileSystemException.class, () -> BuildConfig.load(dir));
        assertEquals(dir + ": Is a directory", e.getMessage());
        assertThrows(FileSystemException.class, () -> BuildConfig.loadIfPresent(dir));
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorOnTheirLine(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("latin1.conf"), "MODULES=nvme\n# caf\u00e9\nRESCUE=busybox\n".getBytes(StandardCharsets.ISO_8859_1));
        IOException e = assertThrows(IOException.class, () -> BuildConfig.load(file));
        assertEquals(file + ":2: not UTF-8 text", e.getMessage());
        Files.writeString(file, "# caf\u00e9\nRESCUE=busybox\n");
        assertEquals(BuildConfig.Rescue.BUSYBOX, BuildConfig.load(file).rescue());
    }

    @Test
    void windowsLineEndingsAreBlanks(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("liftoff.conf"), "COMPRESS=zstd\r\nRESCUE=busybox\r\n");
        assertEquals(Compression.ZSTD, BuildConfig.load(file).compress().compression());
        assertEquals(BuildConfig.Rescue.BUSYBOX, BuildConfig.load(file).rescue());
    }

    @Test
    void commandLineOverridesTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("liftoff.conf"), "MODULES=nvme\nCOMPRESS=zstd\n");
        BuildConfig config = BuildConfig.load(file).with("MODULES", "virtio_blk sd_mod").with("KERNEL_VERSION", "");
        assertEquals(List.of("virtio_blk", "sd_mod"), config.modules());
        assertEquals(Compression.ZSTD, config.compress().compression());
        assertEquals(Optional.empty(), config.kernelVersion());
        assertEquals(Optional.of(new KernelVersion("6.9.0", "--kernel-version")),
                config.withKernelVersion("6.9.0", "--kernel-version").kernelVersion());
    }

    @Test
    void errorsNameFileAndLine(@TempDir Path dir) throws IOException {
        assertError(dir, "MODULES=nvme\nCOMPRES=lz4\n", ":2: unknown key COMPRES (known: MODULES KERNEL_VERSION COMPRESS RESCUE INCLUDE MICROCODE JDK MODULES_DIR FIRMWARE_DIR FSCK HOSTONLY)");
        assertError(dir, "COMPRESS=brotli\n", ":1: COMPRESS=brotli: expected one of none, lz4, zstd, gzip, xz");
        assertError(dir, "COMPRESS=zstd:99\n", ":1: COMPRESS=zstd:99: zstd level must be 1..19, not 99");
        assertError(dir, "RESCUE=dash\n", ":1: RESCUE=dash: expected one of none, busybox");
        assertError(dir, "\nMODULES=\"$EXTRA nvme\"\n", ":2: '$': variables and command substitution are not supported (this is not a shell)");
        assertError(dir, "MODULES=virtio blk\n", ":1: unexpected 'b' after the value of MODULES (quote values with spaces)");
        assertError(dir, "MODULES=\"nvme\n\n", ":1: unterminated double quote");
        assertError(dir, "if true; then MODULES=x; fi\n", ":1: expected KEY=value");
        assertError(dir, "INCLUDE=relative/path\n", ":1: INCLUDE entry 'relative/path': SRC and DST must be absolute paths");
        assertError(dir, "HOOKS=(base\nudev\n", ":1: unterminated array: missing ')'");
    }

    private static void assertError(Path dir, String text, String expected) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.conf"), text);
        IOException e = assertThrows(IOException.class, () -> BuildConfig.load(file), text);
        assertEquals(file + expected, e.getMessage());
    }
}
