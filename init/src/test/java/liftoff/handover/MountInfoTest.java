package liftoff.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountInfoTest {
    // Lines as the kernel writes them: optional tags before "-", escaped spaces in paths.
    private static final String TEXT = """
            1 1 0:2 / / rw - rootfs rootfs rw,size=498012k
            21 1 0:20 / /proc rw,nosuid,nodev,noexec,relatime shared:2 master:1 - proc proc rw
            22 1 0:5 / /dev rw,nosuid - devtmpfs devtmpfs rw,size=4k,nr_inodes=1,mode=755
            40 1 254:1 /boot /mnt/my\\040disk rw,relatime - ext4 /dev/vda1 rw
            garbage line
            """;

    @Test
    void parsesFieldsAroundOptionalTags() {
        List<MountInfo> mounts = MountInfo.parse(TEXT);
        assertEquals(4, mounts.size());
        assertEquals(new MountInfo(1, 1, "/", "rootfs", "rootfs"), mounts.get(0));
        assertEquals(new MountInfo(21, 1, "/proc", "proc", "proc"), mounts.get(1));
        assertEquals("/mnt/my disk", mounts.get(3).mountPoint());
        assertEquals("ext4", mounts.get(3).fsType());
    }

    @Test
    void mountPointLookup() {
        List<MountInfo> mounts = MountInfo.parse(TEXT);
        assertTrue(MountInfo.isMountPoint(mounts, "/dev"));
        assertFalse(MountInfo.isMountPoint(mounts, "/sys"));
    }

    @Test
    void unescapesOnlyOctalTriplets() {
        assertEquals("a\\b", MountInfo.unescape("a\\134b"));
        assertEquals("a\\9", MountInfo.unescape("a\\9"));
        assertEquals("tab\there", MountInfo.unescape("tab\\011here"));
    }

    @Test
    void aPathIsAMountPointWhenItsMountDiffersFromItsParents(@TempDir Path dir) {
        assertTrue(MountInfo.isMountPoint("/proc"));
        assertFalse(MountInfo.isMountPoint(dir.toString()));
        assertFalse(MountInfo.isMountPoint(dir.resolve("missing").toString()));
    }
}
