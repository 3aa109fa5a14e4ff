package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static liftoff.image.qemu.TestBoot.BOOT;

import java.nio.file.Path;
import java.time.Duration;
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
 * Root filesystems other than a clean ext4, booted for real: squashfs and erofs images made by
 * mksquashfs and mkfs.erofs (their modules loaded by the init on demand), an overlay root with a
 * tmpfs upper layer, and an ext4 root damaged with debugfs that e2fsck in the image repairs.
 */
@Tag("qemu")
class RootKindsBootTest {
    private static final String EROFS_UUID = "b0075eed-0000-4000-8000-000000000003";

    @TempDir
    static Path work;
    static Image image;
    static Path squashfs;
    static Path erofs;

    @BeforeAll
    static void buildImageAndDisks() throws Exception {
        // The default configuration: storage drivers at boot, filesystems on demand, e2fsck.
        image = TestImages.build("RESCUE=busybox");
        squashfs = DemoRoot.writeReadOnlyImage("squashfs", work.resolve("root.squashfs"));
        erofs = DemoRoot.writeReadOnlyImage("erofs", work.resolve("root.erofs"));
    }

    private static Qemu qemu(String append, Path disk) {
        return image.qemu(append).disk(disk);
    }

    // RealRoot.assertReachedOn, not the hand-over's own lines: those come after the kmsg rate limit
    // is restored and may be dropped; the overlay test, where the mount points matter, reads them
    // from its shell instead.

    @Test
    void aSquashfsRootLoadsItsModuleAndBootsReadOnly() throws Exception {
        QemuExit exit = qemu("root=/dev/vda", squashfs).run();
        RealRoot.assertReachedOn(exit, "/dev/vda");
        assertTrue(exit.console().contains("liftoff: filesystem squashfs: loaded module squashfs\n"), exit.console());
        assertEquals("/dev/vda on /newroot (squashfs, ro)", exit.timeline().step(BootMarker.ROOT_MOUNTED).orElseThrow().detail());
    }

    @Test
    void anErofsRootFoundByUuidLoadsItsModuleWithItsDependencies() throws Exception {
        QemuExit exit = qemu("root=UUID=" + EROFS_UUID, erofs).run();
        RealRoot.assertReachedOn(exit, "/dev/vda");
        // libcrc32c and, its softdep, crc32c_intel: on demand, coldplug does not load it for the CPU.
        assertTrue(exit.console().contains("liftoff: filesystem erofs: loaded module erofs and 2 dependencies\n"), exit.console());
        assertEquals("/dev/vda on /newroot (erofs, ro)", exit.timeline().step(BootMarker.ROOT_MOUNTED).orElseThrow().detail());
    }

    @Test
    void aVfatRootLoadsFatWithTheCharacterSetsItsMountAsksFor() throws Exception {
        // FAT has no symlinks for busybox's applets: the root holds busybox as /bin/sh, and the
        // test talks to it with shell builtins only.
        Path disk = TestDisks.vfatWithBusyboxAsSh(work.resolve("root.vfat"), "LIFTOFFVFAT");
        try (QemuProcess vm = qemu("root=LABEL=LIFTOFFVFAT init=/bin/sh", disk).start()) {
            Console console = vm.console();
            console.await("liftoff: filesystem vfat: loaded module vfat and 1 dependencies", BOOT);
            console.await("liftoff: root mounted /dev/vda on /newroot (vfat, ro)", Duration.ofSeconds(60));
            console.type("while read -r line; do echo \"M $line\"; done < /proc/self/mountinfo; echo vfat-$((2 + 3))\n");
            console.await("vfat-5", Duration.ofSeconds(60));
            assertTrue(console.text().matches("(?s).*M \\d+ \\d+ \\S+ / / ro,.* - vfat /dev/vda ro,.*codepage=437,iocharset=ascii.*"),
                    console.text());
            console.type("echo b > /proc/sysrq-trigger\n");   // no poweroff applet here: sysrq reboots, and QEMU exits
            assertFalse(vm.waitFor().timedOut());
        }
    }

    @Test
    void anOverlayRootKeepsWritesInTheTmpfsUpperLayerReachableAfterTheSwitch() throws Exception {
        try (QemuProcess vm = qemu("root=/dev/vda liftoff.overlay=tmpfs rw init=/bin/sh", squashfs).start()) {
            Console console = vm.console();
            console.await("liftoff: root overlay mounted on /newroot (lower /run/liftoff/lower read-only, upper tmpfs"
                    + " /run/liftoff/overlay/upper, rw)", BOOT);
            // PID 1 is now the root's shell: write through the overlay, find the file in the upper layer.
            // Both layers must have survived the old-root delete: the lower's files, and the work
            // directory the kernel made in the tmpfs before the hand-over.
            console.type("echo written-$((6 * 7)) > /probe && cat /run/liftoff/overlay/upper/probe"
                    + " && ls /run/liftoff/lower/sbin /run/liftoff/overlay/work && cat /proc/self/mountinfo; echo done-$((1 + 1))\n");
            console.await("done-2", Duration.ofSeconds(60));
            String text = console.text();
            assertTrue(text.contains("written-42"), text);
            assertTrue(text.matches("(?s).*/run/liftoff/lower/sbin:\r?\ninit\r?\n.*/run/liftoff/overlay/work:\r?\nwork\r?\n.*"), text);
            assertTrue(text.matches("(?s).* / / rw,.* - overlay overlay rw,.*lowerdir=/run/liftoff/lower.*"), text);
            assertTrue(text.matches("(?s).* /run/liftoff/lower ro,.* - squashfs /dev/vda .*"), text);
            assertTrue(text.matches("(?s).* /run/liftoff/overlay rw,.* - tmpfs tmpfs .*"), text);
            console.type("poweroff -f\n");
            assertFalse(vm.waitFor().timedOut());
        }
    }

    @Test
    void e2fsckRepairsADamagedExt4RootBeforeItIsMountedWritable() throws Exception {
        Path disk = DemoRoot.standard().writeTo(work.resolve("damaged.img"));
        // A wrong link count on /sbin/init, and the "not cleanly unmounted" state that makes preen look.
        TestDisks.debugfs(disk, "sif /sbin/init links_count 5");
        TestDisks.debugfs(disk, "ssv state 0");
        QemuExit exit = qemu("root=/dev/vda rw", disk).run();
        RealRoot.assertReachedOn(exit, "/dev/vda");
        String console = exit.console();
        assertTrue(console.contains("liftoff: fsck: /usr/sbin/e2fsck -p /dev/vda\n"), console);
        // e2fsck names the filesystem by its label.
        assertTrue(console.matches("(?s).*liftoff: fsck: liftoff-root: Inode \\d+ ref count is 5, should be 1\\.  FIXED\\..*"), console);
        assertTrue(console.contains("liftoff: fsck: /dev/vda: e2fsck exit status 1 (errors corrected)\n"), console);
        assertEquals("/dev/vda on /newroot (ext4, rw)", exit.timeline().step(BootMarker.ROOT_MOUNTED).orElseThrow().detail());
    }

    @Test
    void damageE2fsckMayNotRepairUnattendedEndsInTheRescueShellWithTheReason() throws Exception {
        Path disk = DemoRoot.standard().writeTo(work.resolve("broken.img"));
        TestDisks.debugfs(disk, "clri <2>");   // the root directory's inode: preen refuses ("RUN fsck MANUALLY")
        TestDisks.debugfs(disk, "ssv state 0");
        try (QemuProcess vm = qemu("root=/dev/vda rw", disk).start()) {
            Console console = vm.console();
            console.await("liftoff: cannot boot: fsck of the root /dev/vda failed: e2fsck exit status 4 (errors left uncorrected);"
                    + " repair it here (/usr/sbin/e2fsck /dev/vda), then `exit` to boot again, or boot with fsck.mode=skip", BOOT);
            RescueShell.powerOff(vm);
        }
    }
}
