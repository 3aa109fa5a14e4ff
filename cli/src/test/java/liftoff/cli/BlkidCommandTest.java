package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import liftoff.init.probe.Partition;
import liftoff.init.probe.PartitionTable;
import liftoff.init.probe.Probe;
import liftoff.init.probe.TagText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code liftoff blkid} against util-linux blkid on images the real mkfs tools make now, with fresh
 * UUIDs each run: the whole output line must be identical, and the low-level probe's
 * ({@code blkid -p -o export}) values must agree field by field, byte for byte.
 */
class BlkidCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ext2", "ext3", "ext4", "ext4-quoted-label", "ext4-utf8-label", "ext4-trailing-vt-ff",
                            "jbd", "xfs", "btrfs", "fat12", "fat16", "fat32",
                            "fat12-mlabel-cp850", "fat16-code-page-bytes", "fat16-no-name-entry", "fat32-no-name-entry",
                            "fat32-mlabel-e5", "fat16-ebpb-serial-only", "fat12-no-ebpb", "fat32-no-ebpb", "fat16-leading-blanks",
                            "squashfs", "erofs", "swap", "swap-8k-big-endian", "swap-64k-big-endian", "luks1", "luks2",
                            "luks2-primary-wiped", "gpt", "gpt-primary-damaged", "dos"})
    void printsWhatBlkidPrints(String kind) throws IOException {
        Path image = make(kind);
        String theirs = HostTools.run(dir, "blkid", "-c", "/dev/null", image.toString()).strip();
        Result ours = liftoff("blkid", image.toString());
        assertEquals(0, ours.exitCode, ours.err);
        assertEquals(theirs, ours.out.strip());

        Map<String, String> lowLevel = export(HostTools.runForBytes(dir, "blkid", "-p", "-d", "-o", "export", image.toString()));
        Map<String, String> probed = Probe.tags(image, null);
        for (String key : List.of("TYPE", "SEC_TYPE", "UUID", "UUID_SUB", "LABEL_FATBOOT", "LABEL", "BLOCK_SIZE",
                                  "PTUUID", "PTTYPE")) {
            String value = probed.get(key);
            assertEquals(lowLevel.get(key), value == null ? null : latin1(TagText.bytes(value)), key + " of " + kind);
        }
    }

    /** The partition entries agree with what sfdisk (util-linux) reads from the same disks. */
    @ParameterizedTest
    @ValueSource(strings = {"gpt", "dos"})
    void partitionEntriesMatchSfdisk(String kind) throws IOException {
        Path image = make(kind);
        String json = HostTools.run(dir, "sfdisk", "--json", image.toString());
        PartitionTable table = Probe.partitionTable(image);
        Matcher id = Pattern.compile("\"id\":\\s*\"(?:0x)?([^\"]+)\"").matcher(json);
        assertEquals(true, id.find(), json);
        assertEquals(id.group(1).toLowerCase(), table.uuid(), json);
        Matcher m = Pattern.compile("\\{\\s*\"node\":\\s*\"[^\"]*?(\\d+)\",\\s*\"start\":\\s*(\\d+),\\s*\"size\":\\s*(\\d+),"
                + "\\s*\"type\":\\s*\"([^\"]+)\"(?:,\\s*\"uuid\":\\s*\"([^\"]+)\")?(?:,\\s*\"name\":\\s*\"([^\"]+)\")?")
                .matcher(json);
        int count = 0;
        while (m.find()) {
            Partition p = table.partition(Integer.parseInt(m.group(1)));
            assertEquals(Long.parseLong(m.group(2)) * 512, p.start(), json);
            assertEquals(Long.parseLong(m.group(3)) * 512, p.size(), json);
            String type = m.group(4).toLowerCase();
            assertEquals(type.length() == 1 ? "0" + type : type, p.type(), json);
            // dos entries have no UUID of their own: blkid derives "disk signature-NN".
            String uuid = m.group(5) != null ? m.group(5).toLowerCase()
                    : table.uuid() + "-" + String.format("%02x", p.number());
            assertEquals(uuid, p.uuid(), json);
            assertEquals(m.group(6), p.label(), json);
            count++;
        }
        assertEquals(count, table.partitions().size(), json);
        assertEquals(true, count >= 2, json);
    }

    /**
     * Each image cut short at the lengths where the formats keep their superblocks: never an
     * exception, exit 0 with one line or 2 with none. (util-linux blkid also drops a filesystem
     * whose device is smaller than a minimum or than the size the superblock claims; liftoff names
     * any complete superblock: docs/probe.md, known gaps.) Then the image with its first 64 KiB
     * overwritten by noise: exactly what blkid says, usually nothing, sometimes a backup header.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ext2", "ext4", "xfs", "btrfs", "fat16", "fat32", "squashfs", "erofs", "swap", "luks1", "luks2",
                            "gpt", "dos"})
    void truncatedImagesNeverThrowAndOverwrittenOnesSayWhatBlkidSays(String kind) throws IOException {
        Path image = make(kind);
        byte[] head = new byte[(int) Math.min(Files.size(image), 128 * 1024)];
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "r")) {
            file.readFully(head);
        }
        for (int length : new int[] {0, 511, 1024, 1100, 2048, 4096, 8192, 65536, 65600, 69632, 128 * 1024}) {
            if (length > head.length) continue;
            Path cut = dir.resolve(kind + "-cut.img");
            Files.write(cut, java.util.Arrays.copyOf(head, length));
            Result ours = liftoff("blkid", cut.toString());
            String what = kind + " cut at " + length + ": " + ours.out + ours.err;
            assertEquals(true, ours.exitCode == 0 ? ours.out.matches(Pattern.quote(cut.toString()) + ": .*TYPE=\"[^\"]+\"\n")
                    : ours.exitCode == 2 && ours.out.isEmpty() && ours.err.isEmpty(), what);
        }
        byte[] noise = new byte[64 * 1024];
        new java.util.Random(kind.hashCode()).nextBytes(noise);
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.write(noise);
        }
        assertSameAsBlkid(image, kind + " with its first 64 KiB overwritten");
    }

    private void assertSameAsBlkid(Path image, String what) throws IOException {
        Process blkid = new ProcessBuilder("blkid", "-c", "/dev/null", image.toString()).redirectErrorStream(true).start();
        String theirs = new String(blkid.getInputStream().readAllBytes()).strip();
        int theirCode;
        try {
            theirCode = blkid.waitFor();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        Result ours = liftoff("blkid", image.toString());
        assertEquals(theirs, ours.out.strip(), what);
        assertEquals(theirCode, ours.exitCode, what + ": " + ours.err);
    }

    @Test
    void nothingRecognisedPrintsNothingAndExitsTwo() throws IOException {
        Path zeros = dir.resolve("zeros.img");
        try (RandomAccessFile file = new RandomAccessFile(zeros.toFile(), "rw")) {
            file.setLength(1 << 20);
        }
        Result result = liftoff("blkid", zeros.toString());
        assertEquals(2, result.exitCode);
        assertEquals("", result.out);
    }

    @Test
    void anUnreadableFileIsReportedAndTheOthersStillPrinted() throws IOException {
        Path swap = make("swap");
        Result result = liftoff("blkid", dir.resolve("absent").toString(), swap.toString());
        assertEquals(0, result.exitCode);
        assertEquals(true, result.out.startsWith(swap + ": "), result.out);
        assertEquals("liftoff blkid: " + dir.resolve("absent") + ": No such file or directory\n", result.err);
    }

    /**
     * util-linux blkid says nothing about a directory and exits 2; liftoff blkid exits 2 as well but,
     * as for any path named that cannot be probed, says why in one line.
     */
    @Test
    void aDirectoryIsReportedAsOneAndNothingIsIdentified() {
        Result result = liftoff("blkid", dir.toString());
        assertEquals(2, result.exitCode);
        assertEquals("", result.out);
        assertEquals("liftoff blkid: " + dir + ": Is a directory\n", result.err);
    }

    /** Makes an image of {@code kind} in the temp dir with the real tool; labels and UUIDs set. */
    private Path make(String kind) throws IOException {
        Path image = dir.resolve(kind + ".img");
        String file = image.toString();
        String uuid = UUID.randomUUID().toString();
        switch (kind) {
            case "ext2", "ext3", "ext4" -> HostTools.run(dir, "mke2fs", "-q", "-F", "-t", kind, "-L", kind + " label",
                    "-U", uuid, file, "8M");
            case "ext4-quoted-label" -> HostTools.run(dir, "mke2fs", "-q", "-F", "-t", "ext4", "-L", "a\"b\\c",
                    "-U", uuid, file, "8M");
            case "ext4-utf8-label" -> HostTools.run(dir, "mke2fs", "-q", "-F", "-t", "ext4", "-L", "rööt\tfs",
                    "-U", uuid, file, "8M");
            case "ext4-trailing-vt-ff" -> HostTools.run(dir, "mke2fs", "-q", "-F", "-t", "ext4", "-L", "root\u000b\u000c",
                    "-U", uuid, file, "8M");
            case "jbd" -> HostTools.run(dir, "mke2fs", "-q", "-F", "-O", "journal_dev", "-L", "journal", "-U", uuid,
                    file, "8M");
            case "xfs" -> {
                sparse(image, 300);
                HostTools.run(dir, "mkfs.xfs", "-q", "-L", "xroot", "-m", "uuid=" + uuid, file);
            }
            case "btrfs" -> {
                sparse(image, 120);
                HostTools.run(dir, "mkfs.btrfs", "-q", "-L", "btrfs root", "-U", uuid, file);
            }
            case "fat12", "fat16", "fat32" -> {
                sparse(image, 40);
                HostTools.run(dir, "mkfs.vfat", "-F", kind.substring(3), "-n", kind.toUpperCase(), file);
            }
            case "fat12-mlabel-cp850" -> {
                Files.move(make("fat12"), image);
                HostTools.run(dir, "mlabel", "-i", file, "::CAFÉ");  // mtools writes code page 850: É is 0x90
            }
            case "fat32-mlabel-e5" -> {
                Files.move(make("fat32"), image);
                // Õ is 0xE5 in code page 850; the directory entry stores a leading 0xE5 as 0x05.
                HostTools.run(dir, "mlabel", "-i", file, "::ÕRIGIN");
            }
            case "fat16-ebpb-serial-only", "fat12-no-ebpb", "fat32-no-ebpb" -> {
                String fat = kind.substring(0, 5);
                Files.move(make(fat), image);
                // The extended boot signature: 0x29 (as mkfs writes it) announces serial and label, 0x28 the serial.
                byte signature = (byte) (kind.endsWith("serial-only") ? 0x28 : 0);
                poke(image, fat.equals("fat32") ? 0x42 : 0x26, new byte[] {signature});
            }
            case "fat16-leading-blanks" -> {  // kept in LABEL, trimmed from LABEL_FATBOOT
                Files.move(make("fat16"), image);
                setRootLabelEntry(image, "FAT16", "  ROOT".getBytes(StandardCharsets.US_ASCII));
                poke(image, 0x2B, " \u000b\u000cBOOT".getBytes(StandardCharsets.US_ASCII));
            }
            case "fat16-code-page-bytes" -> {
                Files.move(make("fat16"), image);
                setRootLabelEntry(image, "FAT16", new byte[] {'C', 'A', 'F', (byte) 0xE9, ' ', (byte) 0x90});
                poke(image, 0x2B, new byte[] {(byte) 0xFF, (byte) 0xFE});  // the boot sector's copy
            }
            case "fat16-no-name-entry", "fat32-no-name-entry" -> {  // only the boot sector's NO NAME means none
                String fat = kind.substring(0, 5);
                Files.move(make(fat), image);
                setRootLabelEntry(image, fat.toUpperCase(), "NO NAME    ".getBytes(StandardCharsets.US_ASCII));
            }
            case "squashfs" -> HostTools.run(dir, "mksquashfs", tree().toString(), file, "-quiet", "-noappend");
            case "erofs" -> HostTools.run(dir, "mkfs.erofs", "--quiet", "-U", uuid, file, tree().toString());
            case "swap" -> {
                sparse(image, 4);
                HostTools.run(dir, "mkswap", "-q", "-L", "swap0", "-U", uuid, file);
            }
            case "swap-8k-big-endian", "swap-64k-big-endian" -> {
                sparse(image, 4);
                String pageSize = kind.startsWith("swap-8k") ? "8192" : "65536";
                HostTools.run(dir, "mkswap", "-q", "-p", pageSize, "-L", "swap be", "-U", uuid, file);
                swapHeaderBigEndian(image);
            }
            case "luks1", "luks2" -> {
                sparse(image, 20);
                Path key = Files.writeString(dir.resolve("key"), "secret");
                HostTools.run(dir, "cryptsetup", "luksFormat", "--type", kind, "--batch-mode", "--pbkdf", "pbkdf2",
                        "--pbkdf-force-iterations", "1000", "--key-file", key.toString(), "--uuid", uuid,
                        kind.equals("luks2") ? "--label=crypt root" : "--batch-mode", file);
            }
            case "gpt" -> {
                sparse(image, 16);
                HostTools.run(dir, "sgdisk", "-n", "1:2048:+4M", "-t", "1:ef00", "-c", "1:EFI System",
                        "-n", "2:0:0", "-c", "2:root ü", file);
                Path ext4 = make("ext4");
                try (RandomAccessFile disk = new RandomAccessFile(image.toFile(), "rw")) {
                    disk.seek(2048 * 512L + 4 * 1024 * 1024);
                    disk.write(Files.readAllBytes(ext4));  // sgdisk leaves the partition's contents to us
                }
            }
            case "luks2-primary-wiped" -> {
                Files.move(make("luks2"), image);
                try (RandomAccessFile disk = new RandomAccessFile(image.toFile(), "rw")) {
                    disk.write(new byte[512]);  // blkid then finds the secondary header
                }
            }
            case "gpt-primary-damaged" -> {
                Files.move(make("gpt"), image);
                try (RandomAccessFile disk = new RandomAccessFile(image.toFile(), "rw")) {
                    disk.seek(512 + 56);  // the disk GUID: the primary header's CRC no longer matches
                    disk.write(0xff);
                }
            }
            case "dos" -> {
                sparse(image, 16);
                HostTools.runWithInput(dir, "label: dos\n,4M,83\n,,5\n,4M,82\n,,83\n", "sfdisk", "-q", file);
            }
            default -> throw new AssertionError(kind);
        }
        return image;
    }

    /**
     * Rewrites the numbers of mkswap's header (version, last page, bad-page count) big-endian, as
     * mkswap on a big-endian machine writes them (util-linux 2.39 has --endianness=big for this).
     */
    private static void swapHeaderBigEndian(Path image) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            byte[] numbers = new byte[12];
            file.seek(1024);
            file.readFully(numbers);
            ByteBuffer b = ByteBuffer.wrap(numbers);
            for (int at = 0; at < numbers.length; at += 4) {
                b.putInt(at, Integer.reverseBytes(b.getInt(at)));
            }
            file.seek(1024);
            file.write(numbers);
        }
    }

    /**
     * Overwrites the start of the root directory's volume-label entry that mkfs.vfat wrote for
     * {@code label}: its 11 space-padded bytes followed by the volume-label attribute (0x08), past
     * the boot sector, which has a copy of its own.
     */
    private static void setRootLabelEntry(Path image, String label, byte[] bytes) throws IOException {
        byte[] entry = Arrays.copyOf(String.format("%-11s", label).getBytes(StandardCharsets.US_ASCII), 12);
        entry[11] = 0x08;
        byte[] head = new byte[(int) Math.min(Files.size(image), 2 << 20)];
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "r")) {
            file.readFully(head);
        }
        for (int at = 512; at + entry.length <= head.length; at++) {
            if (Arrays.equals(head, at, at + entry.length, entry, 0, entry.length)) {
                poke(image, at, bytes);
                return;
            }
        }
        throw new AssertionError("no volume-label entry " + label + " in " + image);
    }

    private static void poke(Path image, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.seek(offset);
            file.write(bytes);
        }
    }

    private void sparse(Path image, int mib) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(mib * 1024L * 1024);
        }
    }

    private Path tree() throws IOException {
        Path tree = dir.resolve("tree");
        if (!Files.isDirectory(tree)) {
            Files.createDirectories(tree.resolve("etc"));
            Files.writeString(tree.resolve("etc/hostname"), "liftoff\n");
        }
        return tree;
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result liftoff(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * blkid -d -o export output: NAME=value lines, values raw (-d: neither M- encoding nor escapes),
     * each as its bytes, one char per byte.
     */
    private static Map<String, String> export(byte[] output) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String line : latin1(output).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                tags.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return tags;
    }
}
