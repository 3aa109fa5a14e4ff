package liftoff.init.root;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import liftoff.init.BootFailure;
import liftoff.init.Log;
import liftoff.init.cmdline.Cmdline;
import liftoff.init.cmdline.FsckOptions.Mode;
import liftoff.init.cmdline.FsckOptions.Repair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root check with the host's real e2fsck on ext4 images made by mke2fs and damaged with
 * debugfs: the same program and arguments the init runs at boot, on a file instead of /dev/vda.
 */
class FsckTest {
    private static final Path E2FSCK = Path.of("/usr/sbin/e2fsck");
    private final Log log = new Log();

    @TempDir
    Path dir;

    /** A small ext4 image whose check is forced (not cleanly unmounted) after {@code damage} (a debugfs request). */
    private Path ext4(String damage) throws IOException, InterruptedException {
        Path tree = Files.createDirectories(dir.resolve("tree/bin"));
        Files.writeString(tree.resolve("x"), "x");
        Path image = dir.resolve("root.img");
        run("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree.getParent().toString(), image.toString(), "8M");
        run("debugfs", "-w", "-R", damage, image.toString());
        run("debugfs", "-w", "-R", "ssv state 0", image.toString());
        return image;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    @Test
    void anErrorPreenFixesGoesOnAndTheNextCheckIsClean() throws Exception {
        Path image = ext4("sif /bin/x links_count 5");
        Fsck.beforeMount(image, "ext4", false, Cmdline.parse("root=/dev/vda rw").fsck(), log);
        // Repaired: a forced check finds nothing now.
        assertEquals(0, Fsck.run(List.of(E2FSCK.toString(), "-n", "-f", image.toString()), log));
    }

    @Test
    void anErrorPreenMayNotFixEndsInRescueWithTheReason() throws Exception {
        Path image = ext4("clri <2>");
        BootFailure failure = assertThrows(BootFailure.class,
                () -> Fsck.beforeMount(image, "ext4", false, Cmdline.parse("rw").fsck(), log));
        assertEquals("fsck of the root " + image + " failed: e2fsck exit status 4 (errors left uncorrected); repair it here ("
                + E2FSCK + " " + image + "), then `exit` to boot again, or boot with fsck.mode=skip", failure.getMessage());
    }

    @Test
    void skipReadOnlyAndNoCheckerLeaveTheDamageAlone() throws Exception {
        Path image = ext4("sif /bin/x links_count 5");
        Fsck.beforeMount(image, "ext4", false, Cmdline.parse("rw fsck.mode=skip").fsck(), log);
        Fsck.beforeMount(image, "ext4", true, Cmdline.parse("ro").fsck(), log);
        Fsck.beforeMount(image, "xfs", false, Cmdline.parse("rw").fsck(), log);
        Fsck.beforeMount(image, "squashfs", false, Cmdline.parse("rw").fsck(), log);
        Fsck.beforeMount(image, "nosuchfs", false, Cmdline.parse("rw").fsck(), log);
        assertEquals(4, Fsck.run(List.of(E2FSCK.toString(), "-n", image.toString()), log), "still damaged");
    }

    @Test
    void forceChecksAReadOnlyRootAndRepairNoOnlyReports() throws Exception {
        Path image = ext4("sif /bin/x links_count 5");
        // -n answers no: the error stays, exit 4, and that is a reason for the rescue shell.
        assertThrows(BootFailure.class,
                () -> Fsck.beforeMount(image, "ext4", true, Cmdline.parse("ro fsck.mode=force fsck.repair=no").fsck(), log));
        Fsck.beforeMount(image, "ext4", true, Cmdline.parse("ro fsck.mode=force fsck.repair=yes").fsck(), log);
        assertEquals(0, Fsck.run(List.of(E2FSCK.toString(), "-n", "-f", image.toString()), log));
    }

    @Test
    void commandsAndVerdicts() {
        Path dev = Path.of("/dev/vda");
        assertEquals(List.of("/sbin/e2fsck", "-p", "-f", "/dev/vda"),
                Fsck.command(Path.of("/sbin/e2fsck"), "e2fsck", Repair.PREEN, Mode.FORCE, dev));
        assertEquals(List.of("/sbin/fsck.vfat", "-y", "/dev/vda"),
                Fsck.command(Path.of("/sbin/fsck.vfat"), "fsck.vfat", Repair.YES, Mode.FORCE, dev));
        assertEquals("e2fsck", Fsck.toolName("ext3"));
        assertEquals("fsck.vfat", Fsck.toolName("vfat"));
        assertEquals(List.of(Fsck.Verdict.GO_ON, Fsck.Verdict.GO_ON, Fsck.Verdict.REBOOT, Fsck.Verdict.REBOOT,
                Fsck.Verdict.RESCUE, Fsck.Verdict.RESCUE, Fsck.Verdict.RESCUE),
                List.of(0, 1, 2, 3, 4, 8, 128).stream().map(Fsck::verdict).toList());
        assertEquals("errors corrected, the system should be rebooted", Fsck.meaning(3));
        assertEquals("operational error", Fsck.meaning(12));
        assertEquals(8, Fsck.run(List.of(dir.resolve("no-such-fsck").toString()), log));
    }
}
