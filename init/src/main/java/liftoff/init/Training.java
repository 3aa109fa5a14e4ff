package liftoff.init;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import liftoff.handover.HandoverException;
import liftoff.handover.MountInfo;
import liftoff.handover.OldRootCleaner;
import liftoff.handover.SwitchRoot;
import liftoff.init.modules.ModuleDatabase;
import liftoff.init.probe.BlockDevices;
import liftoff.init.probe.Probe;
import liftoff.init.probe.VeritySuperblock;
import liftoff.sys.DirEntry;
import liftoff.sys.Fs;
import liftoff.sys.Preload;

/**
 * The AOT training run: `liftoff build` runs the init in a chroot of the finished image with
 * -XX:AOTCacheOutput, and the JVM records the classes and linkage this run uses. It walks the
 * boot's code paths with harmless calls (nothing is mounted, loaded or executed), so the real
 * boot finds the command-line parser, the probers, the log and every downcall handle ready.
 */
final class Training {
    private Training() {}

    static void run() {
        Preload.syscalls();
        Preload.linkAll();
        Cmdline cmdline = Cmdline.parse("console=ttyS0 root=UUID=0a1b2c3d-0000-4000-8000-000000000001 rootfstype=ext4 ro"
                + " rootwait=5 rootdelay=0 liftoff.timeout=5 liftoff.debug virtio_blk.queue_depth=64 -- --switched-root");
        cmdline.moduleParameters();
        cmdline.problems();
        rehearseColdplug();
        MountInfo.parse("21 1 0:20 / /proc rw,nosuid shared:2 - proc proc rw\n");
        AotStatus.problem();   // its reader classes; there is no /proc in the training chroot, so no verdict
        StartupTimes.startedLine(0, 0, 0, true);
        Fs.statfs("/");
        int root = Fs.openDirectory("/");
        try {
            for (DirEntry e : Fs.readDirectory(root)) Fs.stat(root, e.name(), Fs.AT_SYMLINK_NOFOLLOW);
        } finally {
            Fs.close(root);
        }
        rehearseOldRootCleanup();
        rehearseVerity();
        FilesystemModules.registered("ext4");
        // A writable root is checked first: the process spawn, with a run that checks nothing.
        Fsck.verdict(Fsck.run(List.of("/usr/sbin/e2fsck", "-V"), new Log()));
        try {
            SwitchRoot.checkInit("/", "/init");
        } catch (HandoverException e) {
            System.out.println("training: " + e.getMessage());
        }
        try {
            new RootFinder(BlockDevices.system()).find(cmdline.root());
            Probe.filesystem(Path.of("/init"));
        } catch (IOException e) {
            System.out.println("training: " + e.getMessage());
        }
        System.out.println("training: done");
    }

    /** Coldplug's code paths: the image's module indexes, an alias lookup, the sysfs walk. */
    private static void rehearseColdplug() {
        try (var kernels = Files.list(Path.of("/lib/modules"))) {
            for (Path dir : kernels.toList()) {
                ModuleDatabase.load(dir).modulesForModalias("virtio:d00000002v00001AF4");
            }
        } catch (IOException e) {
            System.out.println("training: " + e.getMessage());
        }
        if (Files.isDirectory(Path.of("/sys/bus"))) Coldplug.modaliases(Path.of("/sys"));
        // Drivers load in threads of their own, waiting on each other's futures.
        CompletableFuture<Void> claim = new ConcurrentHashMap<String, CompletableFuture<Void>>()
                .computeIfAbsent("module", name -> new CompletableFuture<>());
        try {
            Thread.ofPlatform().name("modprobe training").daemon().start(() -> claim.complete(null)).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        claim.join();
        DiskLinks.encode("training label");
    }

    /** A verity root's command line, superblock check and table, on made-up values (no device-mapper call). */
    private static void rehearseVerity() {
        VerityRoot verity = VerityRoot.fromCmdline(Cmdline.parse("roothash=" + "0f".repeat(32)
                + " systemd.verity_root_options=hash-offset=4096,ignore-zero-blocks"));
        verity.table(new VeritySuperblock(1, null, "sha256", 4096, 4096, 1, new byte[1]), Path.of("/dev/vda"), Path.of("/dev/vda"));
        try {
            VeritySuperblock.parse(ByteBuffer.allocate(VeritySuperblock.SIZE), "training");
        } catch (IOException e) {
            System.out.println("training: " + e.getMessage());
        }
    }

    /** The delete that empties the initramfs after the switch, on a small tree of its own. */
    private static void rehearseOldRootCleanup() {
        try {
            // Not Files.createTempDirectory: its random name seeds SecureRandom, and the chroot has
            // no /dev/urandom, so the JDK gathered entropy from thread timings for 8 s, interpreted.
            // The chroot is a fresh staging tree: a fixed name cannot collide.
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "liftoff-training-" + ProcessHandle.current().pid()));
            Files.createDirectories(dir.resolve("a/b"));
            Files.writeString(dir.resolve("a/b/file"), "x");
            Files.createSymbolicLink(dir.resolve("link"), Path.of("a"));
            int fd = Fs.openDirectory(dir.toString());
            try {
                OldRootCleaner.deleteContents(fd, line -> System.out.println("training: " + line));
            } finally {
                Fs.close(fd);
            }
            Files.delete(dir);
        } catch (IOException e) {
            System.out.println("training: " + e.getMessage());
        }
    }
}
