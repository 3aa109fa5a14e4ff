package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.UUID;
import liftoff.init.probe.BlockDevices;
import liftoff.init.root.RootFinder;
import liftoff.init.root.RootSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on this machine's real /sys and /dev: an ext4 image attached to a loop device is
 * found by root=UUID= and root=LABEL=, and liftoff blkid prints for block devices what blkid
 * prints. Needs root (losetup).
 */
@Tag("root")
class LoopDeviceTest {

    @TempDir
    Path dir;

    @Test
    void findsRootOnALoopDevice() throws IOException {
        String uuid = UUID.randomUUID().toString();
        String label = "lo" + uuid.substring(0, 8);
        Path image = dir.resolve("root.img");
        HostTools.run(dir, "mke2fs", "-q", "-t", "ext4", "-L", label, "-U", uuid, image.toString(), "8M");
        Path loop = Path.of(HostTools.run(dir, "losetup", "--find", "--show", image.toString()).strip());
        try {
            RootFinder finder = new RootFinder(BlockDevices.system());
            assertEquals(loop, finder.find(RootSpec.parse("UUID=" + uuid)));
            assertEquals(loop, finder.find(RootSpec.parse("LABEL=" + label)));

            assertEquals(blkid(loop), liftoffBlkid(loop));
        } finally {
            HostTools.run(dir, "losetup", "--detach", loop.toString());
        }
    }

    /** mke2fs takes an external journal only on a block device: ext4 then names it EXT_JOURNAL. */
    @Test
    void ext4WithAnExternalJournal() throws IOException {
        Path journal = dir.resolve("journal.img");
        HostTools.run(dir, "mke2fs", "-q", "-F", "-O", "journal_dev", "-b", "4096", journal.toString(), "8M");
        Path loop = Path.of(HostTools.run(dir, "losetup", "--find", "--show", journal.toString()).strip());
        try {
            Path fs = dir.resolve("fs.img");
            HostTools.run(dir, "mke2fs", "-q", "-F", "-t", "ext4", "-b", "4096", "-J", "device=" + loop, fs.toString(), "16M");
            assertEquals(blkid(fs), liftoffBlkid(fs));
            assertEquals(true, liftoffBlkid(fs).contains(" EXT_JOURNAL=\""), liftoffBlkid(fs));
        } finally {
            HostTools.run(dir, "losetup", "--detach", loop.toString());
        }
    }

    private String blkid(Path device) {
        return HostTools.run(dir, "blkid", "-c", "/dev/null", device.toString()).strip();
    }

    private static String liftoffBlkid(Path device) {
        StringWriter out = new StringWriter();
        Main.commandLine().setOut(new PrintWriter(out)).execute("blkid", device.toString());
        return out.toString().strip();
    }
}
