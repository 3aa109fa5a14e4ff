package liftoff.init.root;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import liftoff.init.probe.BlockDevice;
import liftoff.init.probe.BlockDevices;
import liftoff.init.probe.Filesystem;
import liftoff.init.probe.Partition;
import liftoff.init.probe.TagText;

/**
 * The /dev/disk/by-uuid, by-label, by-partuuid and by-partlabel links udev makes, made from
 * liftoff's own probes, so that an fstab or a crypttab that names disks this way works in the real
 * root before its udev has run, and for a root that has no udev. Names are escaped as udev escapes
 * them (blkid_encode_string: "my disk" is "my\x20disk"). When two devices carry the same name the
 * first by sysfs name keeps the link; udev decides such ties by link priority, which liftoff
 * does not know.
 */
public final class DiskLinks {
    private DiskLinks() {}

    /** Makes the links under {@code devices.dev()}/disk; returns how many. Unreadable devices are passed over. */
    public static int create(BlockDevices devices) throws IOException {
        Path dev = devices.dev();
        int made = 0;
        for (BlockDevice device : devices.list()) {
            Filesystem fs = RootFinder.probe(device);
            if (fs != null) {
                made += link(dev, "by-uuid", fs.uuid(), device);
                made += link(dev, "by-label", fs.label(), device);
            }
            Partition entry = partitionEntry(devices, device);
            if (entry != null) {
                made += link(dev, "by-partuuid", entry.uuid(), device);
                made += link(dev, "by-partlabel", entry.label(), device);
            }
        }
        return made;
    }

    private static int link(Path dev, String kind, String name, BlockDevice device) throws IOException {
        if (name == null || name.isEmpty()) return 0;
        Path dir = Files.createDirectories(dev.resolve("disk").resolve(kind));
        try {
            // ../../vda1 from /dev/disk/by-uuid/: the link stays right when /dev is moved into the new root.
            Files.createSymbolicLink(dir.resolve(encode(name)), dir.relativize(device.node()));
            return 1;
        } catch (FileAlreadyExistsException e) {
            return 0;
        }
    }

    /**
     * util-linux's blkid_encode_string, which udev uses for these names: ASCII letters, digits and
     * {@code #+-.:=@_} stay, as do valid multi-byte UTF-8 characters; every other byte, the
     * backslash and '/' included, becomes {@code \xHH}: so do a byte that is not UTF-8 (a FAT
     * label's code page) and the UTF-8 bytes of the noncharacters blkid does not count as valid.
     */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            i += Character.charCount(c);
            if (c >= 0x80 && TagText.escapedByte(c) < 0 && !isNoncharacter(c)) {
                out.appendCodePoint(c);
            } else if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || "#+-.:=@_".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                for (byte b : TagText.bytes(Character.toString(c))) {
                    out.append(String.format("\\x%02x", b & 0xff));
                }
            }
        }
        return out.toString();
    }

    /** U+FDD0-U+FDEF and U+xxFFFF, which blkid's utf8_unichar_valid_range rejects. */
    private static boolean isNoncharacter(int c) {
        return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFF) == 0xFFFF;
    }

    private static Partition partitionEntry(BlockDevices devices, BlockDevice device) {
        try {
            return devices.partitionEntry(device);
        } catch (IOException e) {
            return null;
        }
    }
}
