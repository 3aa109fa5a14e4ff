package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.UUID;

import liftoff.init.RootFinder;
import liftoff.init.RootSpec;
import liftoff.init.probe.BlockDevices;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on this machine's real /sys and /dev: an ext4 image attached to a loop device is
 * found by root=UUID= and root=LABEL=, and liftoff blkid prints for the block device what blkid
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

            String theirs = HostTools.run(dir, "blkid", "-c", "/dev/null", loop.toString()).strip();
            StringWriter out = new StringWriter();
            Main.commandLine().setOut(new PrintWriter(out)).execute("blkid", loop.toString());
            assertEquals(theirs, out.toString().strip());
        } finally {
            HostTools.run(dir, "losetup", "--detach", loop.toString());
        }
    }
}
