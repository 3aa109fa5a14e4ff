package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import liftoff.image.qemu.DemoRoot;

/**
 * The boot tests' disks beyond a plain {@link DemoRoot}: made in image files by host tools
 * (cryptsetup, veritysetup, sgdisk, mkfs.vfat and mtools, debugfs), without root or loop devices.
 */
final class TestDisks {
    private static final long SECTOR = 512;
    private static final long MIB = 1L << 20;

    private TestDisks() {}

    /** A partition of {@link #partitioned}: the bytes of {@code contents}, and its PARTUUID. */
    record Partition(Path contents, String uuid) {}

    /**
     * The demo root written to {@code disk}, grown by 32 MiB and encrypted in place with
     * {@code secret} (cryptsetup reencrypt --encrypt, {@code kdf} its key derivation options);
     * {@code luks1}: the LUKS2 header converted to LUKS1 afterwards.
     */
    static Path luks(Path disk, UUID uuid, boolean luks1, String secret, String... kdf) throws IOException, InterruptedException {
        DemoRoot.standard().writeTo(disk);
        resize(disk, Files.size(disk) + (32 << 20));
        List<String> command = new ArrayList<>(List.of("cryptsetup", "reencrypt", "--encrypt", "--type", "luks2",
                "--reduce-device-size", "32M", "--batch-mode", "--uuid", uuid.toString(), "--key-file", "-"));
        command.addAll(List.of(kdf));
        command.add(disk.toString());
        run(command, secret);
        if (luks1) run(List.of("cryptsetup", "convert", "--type", "luks1", "--batch-mode", disk.toString()), "");
        return disk;
    }

    /** veritysetup format of {@code data} into {@code hash} (the same file for a hash tree after the data); the root hash. */
    static String verityFormat(Path data, Path hash, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("veritysetup", "format"));
        command.addAll(List.of(options));
        command.addAll(List.of(data.toString(), hash.toString()));
        return run(command, "").lines().filter(l -> l.startsWith("Root hash:")).map(l -> l.substring(10).strip())
                .findFirst().orElseThrow();
    }

    /**
     * A GPT disk whose partitions hold {@code partitions} in order: the first at 1 MiB, each
     * rounded up to whole MiB and followed by the next, and 1 MiB at the end for the backup GPT.
     */
    static Path partitioned(Path disk, Partition... partitions) throws IOException, InterruptedException {
        List<String> sgdisk = new ArrayList<>(List.of("sgdisk"));
        long[] starts = new long[partitions.length];
        long next = MIB / SECTOR;
        for (int i = 0; i < partitions.length; i++) {
            long sectors = (Files.size(partitions[i].contents()) + MIB - 1) / MIB * MIB / SECTOR;
            starts[i] = next;
            sgdisk.addAll(List.of("-n", (i + 1) + ":" + next + ":+" + sectors, "-u", (i + 1) + ":" + partitions[i].uuid()));
            next += sectors;
        }
        sgdisk.add(disk.toString());
        resize(disk, next * SECTOR + MIB);
        run(sgdisk, "");
        for (int i = 0; i < partitions.length; i++) write(disk, starts[i] * SECTOR, Files.readAllBytes(partitions[i].contents()));
        return disk;
    }

    /**
     * A 40 MiB FAT32 filesystem labelled {@code label} holding busybox as /bin/sh and the empty
     * mount points. mtools writes into the image file: the host kernel need not know FAT, nor may
     * loop-mount it.
     */
    static Path vfatWithBusyboxAsSh(Path disk, String label) throws IOException, InterruptedException {
        resize(disk, 40L << 20);
        run(List.of("mkfs.vfat", "-F", "32", "-n", label, disk.toString()), "");
        for (String dir : List.of("bin", "dev", "proc", "sys", "run")) run(List.of("mmd", "-i", disk.toString(), "::/" + dir), "");
        run(List.of("mcopy", "-i", disk.toString(), "/bin/busybox", "::/bin/sh"), "");
        return disk;
    }

    /** Runs one debugfs request that writes to the ext4 filesystem in {@code disk}. */
    static void debugfs(Path disk, String request) throws IOException, InterruptedException {
        run(List.of("debugfs", "-w", "-R", request, disk.toString()), "");
    }

    /** Sets the file's size, creating it when missing: growing adds zeros. */
    static void resize(Path disk, long bytes) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            file.setLength(bytes);
        }
    }

    /** Overwrites {@code bytes} at {@code offset}, e.g. to damage a block. */
    static void write(Path disk, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            file.seek(offset);
            file.write(bytes);
        }
    }

    /** Runs a host tool with {@code input} on its stdin; its output, or a failed assertion with it. */
    static String run(List<String> command, String input) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ":\n" + output);
        return output;
    }
}
