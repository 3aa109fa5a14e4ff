package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import liftoff.image.qemu.Console;
import liftoff.image.qemu.DemoRoot;
import liftoff.image.qemu.DiskBus;
import liftoff.image.qemu.Kernel;
import liftoff.image.qemu.Qemu;
import liftoff.image.qemu.QemuExit;
import liftoff.image.qemu.QemuProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways to boot besides initramfs → disk, in QEMU: liftoff on a partition the kernel mounts
 * itself (no initrd), pivoting into the real root and leaving the partition untouched; an appliance
 * whose whole system is the initramfs (root=initramfs), moved into a tmpfs it can pivot_root away
 * from; and s6-svscan as the real init, which expects a console, /dev/null and a writable /run.
 */
@Tag("qemu")
class BootModesTest {
    private static final Duration BOOT = Duration.ofMinutes(6);
    private static final long SECTOR = 512;
    /** Partitions start at 1 MiB boundaries. */
    private static final long ALIGN_SECTORS = 2048;

    @TempDir
    static Path work;
    /** Debian's cloud kernel: NVMe and ext4 are built in, so it can mount the early partition with no initrd. */
    static Kernel kernel;
    static Path early;
    static Path partitionDisk;
    static long earlyOffset;
    static Path appliance;
    static Path plain;

    @BeforeAll
    static void buildImagesAndDisks() throws Exception {
        kernel = Kernel.newestInstalled();
        BuildConfig config = BuildConfig.defaults().with("KERNEL_VERSION", kernel.version());
        ImageBuilder builder = new ImageBuilder(work.resolve("cache"), 0, line -> { });

        early = work.resolve("early.ext4");
        builder.build(config.with("RESCUE", "busybox"), ImageFormat.EXT4, early);
        Path realRoot = work.resolve("real.ext4");
        DemoRoot.standard().writeTo(realRoot);
        partitionDisk = work.resolve("partitions.img");
        earlyOffset = gptDisk(partitionDisk, early, realRoot).getFirst();

        Path tree = Files.createDirectories(work.resolve("appliance"));
        busybox(tree);
        script("appliance-init.sh", tree.resolve("sbin/init"));
        appliance = work.resolve("appliance.img");
        builder.build(config.with("INCLUDE", tree + ":/"), appliance);   // liftoff build --root-tree

        plain = work.resolve("plain.img");
        builder.build(config, plain);
    }

    @Test
    void anEarlyUserspaceOnAPartitionPivotsIntoTheRealRootAndLeavesThePartitionUntouched() throws Exception {
        QemuExit exit = new Qemu(kernel.image()).disk(partitionDisk, DiskBus.NVME).timeout(BOOT)
                .append("root=/dev/nvme0n1p1 init=/init liftoff.root=/dev/nvme0n1p2").run();
        assertTrue(exit.console().contains("Run /init as init process"), exit.console());
        RealRoot.assertReachedOn(exit, "/dev/nvme0n1p2");
        assertTrue(exit.console().matches("(?s).*\\n\\d+ \\d+ \\S+ / /run/liftoff/early ro,\\S* - ext4 \\S+ ro\\S*\\n.*"),
                "the partition stays mounted read-only where liftoff.oldroot says\n" + exit.console());
        assertEarlyPartitionUnchanged();
    }

    @Test
    void aWrongLiftoffRootOnThePartitionEndsInTheRescueShellWithTheReason() throws Exception {
        try (QemuProcess vm = new Qemu(kernel.image()).disk(partitionDisk, DiskBus.NVME).timeout(BOOT)
                .append("root=/dev/nvme0n1p1 init=/init liftoff.root=/dev/nvme0n1p9 liftoff.timeout=2").start()) {
            Console console = vm.console();
            console.await("liftoff: cannot boot: the root device /dev/nvme0n1p9 did not appear within 2 s", BOOT);
            console.await("(liftoff rescue) # ", Duration.ofSeconds(60));
            console.type("busybox poweroff -f\n");
            assertFalse(vm.waitFor().timedOut());
        }
        assertEarlyPartitionUnchanged();
    }

    @Test
    void anApplianceRunsFromATmpfsAndCanPivotRootAwayFromIt() throws Exception {
        QemuExit exit = new Qemu(kernel.image()).initrd(appliance).append("root=initramfs").timeout(BOOT).run();
        String console = exit.console();
        assertTrue(console.contains("APPLIANCE pid=1 root=tmpfs marker=1 kept=/init /jre/bin/java \n"),
                "the root tree's init runs as PID 1 from a tmpfs, nothing of the image deleted\n" + console);
        assertTrue(console.contains("APPLIANCE pivot_root done: / is tmpfs, the image is at /old (tmpfs)\n"), console);
    }

    @Test
    void rootInitramfsWithNoSystemInTheImageEndsInTheRescueConsole() throws Exception {
        try (QemuProcess vm = new Qemu(kernel.image()).initrd(plain).append("root=initramfs").timeout(BOOT).start()) {
            Console console = vm.console();
            console.await("liftoff: cannot boot: no init to start in the root:", BOOT);
            console.await("/sbin/init does not exist in the new root /", Duration.ofSeconds(30));
            console.await("(liftoff) # ", Duration.ofSeconds(60));
            console.type("poweroff\n");
            assertFalse(vm.waitFor().timedOut());
        }
    }

    @Test
    void s6SvscanAsTheRealInitFindsAConsoleNullAWritableRunAndNoDescriptorOfLiftoffs() throws Exception {
        Path root = Files.createDirectories(work.resolve("s6-root"));
        busybox(root);
        List<Path> programs = List.of(hostFile("/usr/bin/s6-svscan"), hostFile("/usr/bin/s6-supervise"));
        LibraryResolver.Closure closure = LibraryResolver.forHost().resolve(programs, List.of());
        List<Path> files = new ArrayList<>(programs);
        files.addAll(closure.loaders());
        files.addAll(closure.libraries());
        for (Path file : files) {
            Path copy = root.resolve(file.toString().substring(1));
            Files.createDirectories(copy.getParent());
            Files.copy(file, copy);   // through the host's symlinks: the loader searches /lib/<triplet> too
        }
        script("s6-stage1.sh", root.resolve("sbin/init"));
        script("s6-service-run.sh", root.resolve("etc/s6/hello/run"));
        for (String dir : List.of("dev", "proc", "sys", "run")) Files.createDirectories(root.resolve(dir));
        Path disk = work.resolve("s6.ext4");
        run("mke2fs", "-q", "-F", "-t", "ext4", "-d", root.toString(), disk.toString(), "24M");

        QemuExit exit = new Qemu(kernel.image()).initrd(plain).disk(disk).append("root=/dev/vda").timeout(BOOT).run();
        String console = exit.console();
        assertTrue(console.contains("S6-SERVICE pid1=s6-svscan console=chr null=chr run=tmpfs,writable root=ro"
                + " stdio=/dev/console,/dev/console,/dev/console\n"), console);
        List<String> descriptors = console.lines().filter(l -> l.startsWith("S6-SERVICE pid1 fd ")).toList();
        assertFalse(descriptors.isEmpty(), console);
        // The JVM's class image and the kernel log must not outlive it in the real init.
        assertTrue(descriptors.stream().noneMatch(l -> l.contains("/jre/") || l.contains("kmsg")), String.join("\n", descriptors));
    }

    /** The disk's first partition still holds exactly the ext4 image written to it. */
    private static void assertEarlyPartitionUnchanged() throws IOException {
        assertEquals(sha256(early, 0, Files.size(early)), sha256(partitionDisk, earlyOffset, Files.size(early)),
                "the early userspace's partition was written to");
    }

    /**
     * Writes a GPT disk holding {@code filesystems} as partitions 1, 2, ..., each sized to its image
     * and starting on a MiB boundary; returns their byte offsets. Partitions of loop devices do not
     * appear on the test machines, so the images are copied in at their offsets.
     */
    private static List<Long> gptDisk(Path disk, Path... filesystems) throws IOException, InterruptedException {
        List<String> sgdisk = new ArrayList<>(List.of("sgdisk", "--clear"));
        List<Long> starts = new ArrayList<>();
        long start = ALIGN_SECTORS;
        for (int i = 0; i < filesystems.length; i++) {
            long sectors = (Files.size(filesystems[i]) + SECTOR - 1) / SECTOR;
            sgdisk.add("--new=" + (i + 1) + ":" + start + ":+" + sectors);
            starts.add(start * SECTOR);
            start = (start + sectors + ALIGN_SECTORS - 1) / ALIGN_SECTORS * ALIGN_SECTORS;
        }
        try (FileChannel file = FileChannel.open(disk, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate(1), (start + ALIGN_SECTORS) * SECTOR - 1);   // room for the backup GPT
        }
        sgdisk.add(disk.toString());
        run(sgdisk.toArray(String[]::new));
        try (FileChannel out = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            for (int i = 0; i < filesystems.length; i++) {
                try (FileChannel in = FileChannel.open(filesystems[i])) {
                    long offset = starts.get(i);
                    for (long done = 0; done < in.size(); ) done += in.transferTo(done, in.size() - done, out.position(offset + done));
                }
            }
        }
        return starts;
    }

    private static String sha256(Path file, long offset, long length) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        try (FileChannel in = FileChannel.open(file)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            for (long at = offset; at < offset + length; ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), offset + length - at));
                int n = in.read(buffer, at);
                if (n < 0) throw new IOException(file + " ends before " + (offset + length));
                digest.update(buffer.flip());
                at += n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The host's static busybox at /bin/busybox with a link for each applet. */
    private static void busybox(Path root) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(hostFile("/bin/busybox"), bin.resolve("busybox"));
        for (String applet : run("/bin/busybox", "--list").strip().split("\n")) {
            if (!applet.equals("busybox")) Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
    }

    /** A test resource as an executable file. */
    private static void script(String resource, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = BootModesTest.class.getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path hostFile(String path) {
        Path file = Path.of(path);
        assertTrue(Files.isExecutable(file), path + " is missing: scripts/host-packages.sh installs it (busybox-static, s6)");
        return file;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }
}
