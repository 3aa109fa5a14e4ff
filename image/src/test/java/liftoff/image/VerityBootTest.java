package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import liftoff.image.TestDisks.Partition;
import liftoff.image.TestImages.Image;
import liftoff.image.qemu.BootMarker;
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
 * dm-verity roots in QEMU: the demo ext4 root protected by {@code veritysetup format}, its hash
 * tree on a second disk or after the data on the same disk, and a tampered data block refused.
 */
@Tag("qemu")
class VerityBootTest {
    private static final Duration BOOT = Duration.ofMinutes(2);
    private static final long DATA_BYTES = 32L << 20;   // DemoRoot.standard(): 32 MiB

    @TempDir
    static Path work;
    static Image image;
    static Path data;
    static Path hash;
    static String rootHash;

    @BeforeAll
    static void buildImageAndDisks() throws Exception {
        // The default configuration: the verity group ships, loaded on demand.
        image = TestImages.build("RESCUE=busybox");
        data = DemoRoot.standard().writeTo(work.resolve("data.img"));
        hash = work.resolve("hash.img");
        // The demo filesystem has 1 KiB blocks; verity's data block may not be larger (it becomes
        // the mapping's logical block size).
        rootHash = TestDisks.verityFormat(data, hash, "--data-block-size=1024");
    }

    private static Qemu qemu(String append) {
        return image.qemu(append).timeout(BOOT);
    }

    private static void assertBootedReadOnlyFromTheMapping(QemuExit exit) {
        RealRoot.assertReachedOn(exit, "/dev/mapper/root");
        assertEquals("/dev/mapper/root on /newroot (ext4, ro)", exit.timeline().step(BootMarker.ROOT_MOUNTED).orElseThrow().detail());
        RealRoot.assertMounted(exit, true);
    }

    @Test
    void bootsFromADataDiskAndASeparateHashDisk() throws Exception {
        QemuExit exit = qemu("roothash=" + rootHash + " systemd.verity_root_data=UUID=" + DemoRoot.standard().uuid()
                + " systemd.verity_root_hash=/dev/vdb").disk(data).disk(hash).run();
        assertBootedReadOnlyFromTheMapping(exit);
        String console = exit.console();
        assertTrue(console.contains("liftoff: dm-verity: root = 1 /dev/vda /dev/vdb 1024 4096 32768 1 sha256 " + rootHash + " "), console);
        assertTrue(console.matches("(?s).*liftoff: device-mapper root is /dev/dm-0 \\(\\d+:0\\).*"), console);
    }

    @Test
    void bootsWithTheHashTreeAfterTheDataOnOneDisk() throws Exception {
        Path disk = work.resolve("one-disk.img");
        Files.copy(data, disk);
        TestDisks.resize(disk, DATA_BYTES + (1L << 20));
        String hash = TestDisks.verityFormat(disk, disk, "--hash-offset=" + DATA_BYTES, "--data-blocks=" + DATA_BYTES / 1024,
                "--data-block-size=1024", "--hash", "sha512");
        QemuExit exit = qemu("roothash=" + hash + " systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vda"
                + " systemd.verity_root_options=hash-offset=" + DATA_BYTES + ",restart-on-corruption").disk(disk).run();
        assertBootedReadOnlyFromTheMapping(exit);
        assertTrue(exit.console().contains(" 1024 4096 32768 " + (DATA_BYTES / 4096 + 1) + " sha512 " + hash + " "), exit.console());
        assertTrue(exit.console().contains(" 1 restart_on_corruption"), exit.console());
        assertTrue(exit.console().contains("liftoff: crypto: sha512 loaded (sha512_generic)"), exit.console());
    }

    @Test
    void aWritableOverlayOverTheVerityRoot() throws Exception {
        QemuExit exit = qemu("roothash=" + rootHash + " systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vdb"
                + " rw liftoff.overlay=tmpfs").disk(data).disk(hash).run();
        assertTrue(exit.timeline().reachedRealInit(), exit.console());
        String rootLine = RealRoot.mountLine(exit);
        assertTrue(rootLine.contains(" / / rw,") && rootLine.contains(" - overlay "), rootLine);
        assertTrue(exit.console().contains("liftoff: root mounted /dev/mapper/root on "), exit.console());
    }

    @Test
    void findsDataAndHashPartitionsByTheRootHashAlone() throws Exception {
        // systemd's discovery: the data partition's PARTUUID is the root hash's first 128 bits, the
        // hash partition's its last 128 bits; roothash= is then all the command line needs.
        // Partitions from 1 MiB: the data (32 MiB), then the hash tree (1.03 MiB) in 2 MiB.
        Path disk = TestDisks.partitioned(work.resolve("gpt.img"),
                new Partition(data, uuid(rootHash.substring(0, 32))), new Partition(hash, uuid(rootHash.substring(32))));
        QemuExit exit = qemu("roothash=" + rootHash).disk(disk).run();
        assertBootedReadOnlyFromTheMapping(exit);
        assertTrue(exit.console().contains("liftoff: verity data device found /dev/vda1 (PARTUUID=" + uuid(rootHash.substring(0, 32)) + ")"),
                exit.console());
        assertTrue(exit.console().contains("liftoff: dm-verity: root = 1 /dev/vda1 /dev/vda2 1024 4096 32768 1 sha256 "), exit.console());
    }

    /** 32 hex digits as a UUID's text. */
    private static String uuid(String hex) {
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    @Test
    void aTamperedDataBlockStopsTheBootWithTheReason() throws Exception {
        Path tampered = work.resolve("tampered.img");
        Files.copy(data, tampered);
        // The ext4 superblock's volume name, in verity data block 1 (1 KiB blocks).
        TestDisks.write(tampered, 1024 + 120, "tampered".getBytes(StandardCharsets.US_ASCII));
        assertRefusedAsCorrupt(rootHash, tampered, "data block 1 is corrupted");
    }

    @Test
    void anInitWithABlockThatFailsItsHashEndsInTheRescueShellBeforeTheSwitch() throws Exception {
        // The filesystem mounts (its metadata is intact) and /sbin/init is an executable file: only reading
        // it fails, which the exec after the switch would find out with the initramfs already gone.
        Path tampered = work.resolve("tampered-init.img");
        Files.copy(data, tampered);
        long block = Long.parseLong(TestDisks.run(List.of("debugfs", "-R", "bmap /sbin/init 1", tampered.toString()), "").lines()
                .filter(line -> line.matches("\\d+")).findFirst().orElseThrow());
        try (RandomAccessFile f = new RandomAccessFile(tampered.toFile(), "rw")) {
            f.seek(block * 1024 + 100);   // the init's second 1 KiB block
            f.write("tampered".getBytes(StandardCharsets.US_ASCII));
        }
        try (QemuProcess vm = qemu("roothash=" + rootHash + " systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vdb")
                .disk(tampered).disk(hash).start()) {
            Console console = vm.console();
            console.await("liftoff: cannot boot: cannot start /sbin/init: reading /newroot/sbin/init failed after 0 bytes:"
                    + " Input/output error (the exec would fail the same way)", BOOT);
            console.await("(liftoff rescue) # ", Duration.ofSeconds(60));
            console.type("ls -d /init /jre && echo initramfs-$((40 + 2))\n");
            console.await("initramfs-42", Duration.ofSeconds(30));
            console.type("busybox poweroff -f\n");
            QemuExit exit = vm.waitFor();
            assertFalse(exit.timedOut(), exit.console());
            assertFalse(exit.timeline().reachedRealInit());
            assertTrue(exit.console().matches("(?s).*device-mapper: verity: \\d+:0: data block " + block + " is corrupted.*"), exit.console());
            assertFalse(exit.console().contains("old root emptied"), exit.console());
        }
    }

    @Test
    void aWrongRootHashIsRefusedToo() throws Exception {
        String wrong = (rootHash.charAt(0) == '0' ? "1" : "0") + rootHash.substring(1);
        // The tree's top block no longer matches: the kernel calls it metadata, not data.
        assertRefusedAsCorrupt(wrong, data, "metadata block 1 is corrupted");
    }

    /**
     * Booting {@code dataDisk} (hash disk: {@link #hash}) with {@code roothash} stops in the busybox
     * rescue shell with the corruption reason and the kernel's line ending in {@code kernelSays}.
     */
    private static void assertRefusedAsCorrupt(String roothash, Path dataDisk, String kernelSays) throws Exception {
        try (QemuProcess vm = qemu("roothash=" + roothash + " systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vdb")
                .disk(dataDisk).disk(hash).start()) {
            Console console = vm.console();
            console.await("liftoff: cannot boot: dm-verity detected corruption on /dev/vda (hash /dev/vdb):"
                    + " a block of /dev/mapper/root does not match the root hash", BOOT);
            console.await(Pattern.compile("kernel: .*device-mapper: verity: \\d+:0: " + Pattern.quote(kernelSays)), Duration.ofSeconds(30));
            QemuExit exit = RescueShell.powerOff(vm);
            assertFalse(exit.timeline().reachedRealInit());
        }
    }
}
