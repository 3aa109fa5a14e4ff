package liftoff.image.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A small ext4 root disk for boot tests: busybox and an {@code /sbin/init} that prints
 * {@code REAL-ROOT uptime=<s> pid=<n> root=<device>} (also to /dev/kmsg), then
 * {@code REAL-ROOT args=<its arguments>}, a banner, the mount table and the /dev/disk/by-* links,
 * and powers off.
 *
 * <p>Built without root or loop devices: {@code mke2fs -d} copies a staged directory into a plain
 * file. Fixed timestamps, UUIDs and hash seed make the same settings give the same bytes. With
 * {@link #withGpt} the file is a GPT disk whose single partition holds the filesystem; mke2fs writes
 * it straight into the partition ({@code -E offset}), because partitions of loop devices do not
 * appear on the test machines.
 *
 * <p>Files are owned by whoever builds the disk (root_owner only fixes the top directory); as root
 * that is root. The init runs as root either way.
 */
public record DemoRoot(String label, UUID uuid, int sizeMiB, Optional<String> partitionName, UUID partitionUuid) {

    /** 2025-01-01T00:00:00Z: every timestamp in the filesystem. */
    static final long FAKE_TIME = 1735689600L;
    /** The partition starts at 1 MiB, the usual alignment; the last MiB holds the backup GPT. */
    static final long PARTITION_START_SECTOR = 2048;
    private static final long SECTOR = 512;

    /** Label "liftoff-root", fixed UUIDs, 32 MiB, a bare filesystem (no partition table). */
    public static DemoRoot standard() {
        return new DemoRoot("liftoff-root", UUID.fromString("b0075eed-0000-4000-8000-000000000001"), 32,
                Optional.empty(), UUID.fromString("b0075eed-0000-4000-8000-000000000002"));
    }

    public DemoRoot withLabel(String label) {
        return new DemoRoot(label, uuid, sizeMiB, partitionName, partitionUuid);
    }

    public DemoRoot withUuid(UUID uuid) {
        return new DemoRoot(label, uuid, sizeMiB, partitionName, partitionUuid);
    }

    public DemoRoot withSizeMiB(int sizeMiB) {
        return new DemoRoot(label, uuid, sizeMiB, partitionName, partitionUuid);
    }

    /** A GPT disk with one Linux root partition (type 8304) of this name holding the filesystem. */
    public DemoRoot withGpt(String partitionName) {
        return new DemoRoot(label, uuid, sizeMiB, Optional.of(partitionName), partitionUuid);
    }

    public DemoRoot withPartitionUuid(UUID partitionUuid) {
        return new DemoRoot(label, uuid, sizeMiB, partitionName, partitionUuid);
    }

    /** The guest's device for the root filesystem when the disk is the guest's first on {@code bus}. */
    public String guestDevice(DiskBus bus) {
        String disk = bus.guestDevice(0);
        if (partitionName.isEmpty()) return disk;
        return disk + (bus == DiskBus.NVME ? "p1" : "1");
    }

    /** Writes the disk image to {@code image}, replacing it; returns {@code image}. */
    public Path writeTo(Path image) throws IOException {
        Path busybox = HostTools.require("busybox", "busybox-static");
        Path mke2fs = HostTools.require("mke2fs", "e2fsprogs");
        Path debugfs = HostTools.require("debugfs", "e2fsprogs");
        Path work = Files.createTempDirectory("liftoff-demo-root");
        try {
            Path stage = Files.createDirectory(work.resolve("root"));
            List<String> paths = stage(stage, busybox);
            Files.deleteIfExists(image);
            String extended = "root_owner=0:0,hash_seed=" + uuid;
            String filesystem = image.toString();
            if (partitionName.isPresent()) {
                partition(image);
                extended += ",offset=" + PARTITION_START_SECTOR * SECTOR;
                filesystem += "?offset=" + PARTITION_START_SECTOR * SECTOR;   // e2fsprogs' io option syntax
            }
            Map<String, String> fakeTime = Map.of("E2FSPROGS_FAKE_TIME", Long.toString(FAKE_TIME));
            HostTools.run(List.of(mke2fs.toString(), "-q", "-F", "-t", "ext4", "-L", label, "-U", uuid.toString(),
                    "-E", extended, "-d", stage.toString(), image.toString(), sizeMiB + "M"), fakeTime);
            // mke2fs -d copies each file's ctime, which is when it was staged and which no
            // program may set; debugfs can, in the filesystem itself.
            Path commands = work.resolve("ctime.debugfs");
            Files.write(commands, paths.stream().map(p -> "set_inode_field \"" + p + "\" ctime @" + FAKE_TIME).toList());
            String log = HostTools.run(List.of(debugfs.toString(), "-w", "-f", commands.toString(), filesystem), fakeTime);
            // debugfs exits 0 even when a command fails; its own lines start with "debugfs".
            List<String> errors = log.lines().filter(line -> !line.startsWith("debugfs")).toList();
            if (!errors.isEmpty()) throw new IOException("debugfs could not fix change times: " + String.join("; ", errors));
        } finally {
            deleteTree(work);
        }
        return image;
    }

    /**
     * Writes the same tree as a read-only image to {@code image}: "squashfs" (mksquashfs) or "erofs"
     * (mkfs.erofs), owned by root, every timestamp fixed. Label and UUIDs do not apply. Returns {@code image}.
     */
    public static Path writeReadOnlyImage(String type, Path image) throws IOException {
        Path busybox = HostTools.require("busybox", "busybox-static");
        String time = Long.toString(FAKE_TIME);
        Path work = Files.createTempDirectory("liftoff-demo-root");
        try {
            Path stage = Files.createDirectory(work.resolve("root"));
            stage(stage, busybox);
            Files.deleteIfExists(image);
            List<String> command = switch (type) {
                case "squashfs" -> List.of(HostTools.require("mksquashfs", "squashfs-tools").toString(), stage.toString(),
                        image.toString(), "-quiet", "-noappend", "-all-root", "-mkfs-time", time, "-all-time", time);
                case "erofs" -> List.of(HostTools.require("mkfs.erofs", "erofs-utils").toString(), "--quiet", "--all-root",
                        "-T", time, "-U", "b0075eed-0000-4000-8000-000000000003", image.toString(), stage.toString());
                default -> throw new IllegalArgumentException(type + ": not squashfs or erofs");
            };
            HostTools.run(command, Map.of());
        } finally {
            deleteTree(work);
        }
        return image;
    }

    /**
     * Stages the root filesystem's tree: busybox with a link per applet, the init, and the mount
     * points, every timestamp fixed. Returns the paths as the guest sees them ("/", "/bin", ...).
     */
    private static List<String> stage(Path root, Path busybox) throws IOException {
        for (String dir : List.of("bin", "sbin", "dev", "proc", "sys", "run", "tmp")) {
            Files.createDirectory(root.resolve(dir));
        }
        Files.copy(busybox, root.resolve("bin/busybox"));
        String applets = HostTools.run(List.of(busybox.toString(), "--list"), Map.of());
        for (String applet : applets.strip().split("\n")) {
            if (!applet.equals("busybox")) Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        try (InputStream init = DemoRoot.class.getResourceAsStream("demo-init.sh")) {
            Files.copy(init, root.resolve("sbin/init"));
        }
        for (Path file : List.of(root.resolve("bin/busybox"), root.resolve("sbin/init"))) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.toList();
        }
        FileTime fixed = FileTime.from(Instant.ofEpochSecond(FAKE_TIME));
        for (Path path : all) {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(fixed, fixed, null);
        }
        return all.stream().map(path -> "/" + root.relativize(path)).toList();
    }

    /** An empty GPT disk: the partition at 1 MiB, sized for the filesystem, and 1 MiB to spare at the end. */
    private void partition(Path image) throws IOException {
        Path sgdisk = HostTools.require("sgdisk", "gdisk");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength((sizeMiB + 2L) << 20);
        }
        // The disk's own GUID is derived from the filesystem UUID: fixed like everything else, and
        // two demo disks with different UUIDs in one guest do not share it.
        UUID diskGuid = new UUID(uuid.getMostSignificantBits(), ~uuid.getLeastSignificantBits());
        HostTools.run(List.of(sgdisk.toString(), "--clear",
                "--disk-guid=" + diskGuid,
                "--new=1:" + PARTITION_START_SECTOR + ":+" + sizeMiB + "M",
                "--typecode=1:8304",
                "--change-name=1:" + partitionName.orElseThrow(),
                "--partition-guid=1:" + partitionUuid,
                image.toString()), Map.of());
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = new ArrayList<>(walk.toList());
        }
        all.sort(Comparator.reverseOrder());
        for (Path path : all) Files.delete(path);
    }
}
