package liftoff.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import liftoff.handover.HandoverException;
import liftoff.handover.MountInfo;
import liftoff.handover.OldRootCleaner;
import liftoff.handover.SwitchRoot;
import liftoff.init.probe.BlockDevices;
import liftoff.init.probe.Probe;
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
        ModuleLoader.moduleName("kernel/drivers/block/virtio_blk.ko");
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

    /** The delete that empties the initramfs after the switch, on a small tree of its own. */
    private static void rehearseOldRootCleanup() {
        try {
            Path dir = Files.createTempDirectory("liftoff-training");
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
