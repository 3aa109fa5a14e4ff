package liftoff.init.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Superblocks written by the real {@code veritysetup format}, compared with what {@code veritysetup dump} says. */
class VeritySuperblockTest {
    @TempDir
    Path dir;

    /** Formats a 1 MiB data file (hash in a second file) with {@code options}; returns the hash file. */
    private Path format(String... options) throws Exception {
        Path data = dir.resolve("data.img");
        Path hash = dir.resolve("hash.img");
        Files.write(data, new byte[1 << 20]);
        Files.deleteIfExists(hash);
        List<String> command = new ArrayList<>(List.of("veritysetup", "format"));
        command.addAll(List.of(options));
        command.addAll(List.of(data.toString(), hash.toString()));
        run(command);
        return hash;
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), command + ":\n" + out);
        return out;
    }

    /** veritysetup dump's "Key: value" lines. */
    private static Map<String, String> dump(Path hash, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("veritysetup", "dump"));
        command.addAll(List.of(options));
        command.add(hash.toString());
        Map<String, String> fields = new HashMap<>();
        for (String line : run(command).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        return fields;
    }

    private static void assertMatchesDump(VeritySuperblock sb, Map<String, String> dump) {
        assertEquals(dump.get("UUID"), sb.uuid());
        assertEquals(Integer.parseInt(dump.get("Hash type")), sb.hashType());
        assertEquals(dump.get("Hash algorithm"), sb.algorithm());
        assertEquals(Integer.parseInt(dump.get("Data block size")), sb.dataBlockSize());
        assertEquals(Integer.parseInt(dump.get("Hash block size")), sb.hashBlockSize());
        assertEquals(Long.parseLong(dump.get("Data blocks")), sb.dataBlocks());
        assertEquals(dump.get("Salt"), sb.saltHex());
    }

    @Test
    void defaultFormatIsSha256With4KBlocksAndA32ByteSalt() throws Exception {
        Path hash = format();
        VeritySuperblock sb = VeritySuperblock.read(hash, 0);
        assertMatchesDump(sb, dump(hash));
        assertEquals("sha256", sb.algorithm());
        assertEquals(1, sb.hashType());
        assertEquals(32, sb.salt().length);
        assertEquals(256, sb.dataBlocks());
        assertEquals(2048, sb.dataSectors());
        assertEquals(1, sb.hashStartBlock(0));   // the tree starts in the hash block after the superblock
    }

    @Test
    void sha1() throws Exception {
        Path hash = format("--hash", "sha1");
        VeritySuperblock sb = VeritySuperblock.read(hash, 0);
        assertMatchesDump(sb, dump(hash));
        assertEquals("sha1", sb.algorithm());
    }

    @Test
    void givenSaltAndNoSalt() throws Exception {
        Path hash = format("--salt", "00ff10aa");
        VeritySuperblock sb = VeritySuperblock.read(hash, 0);
        assertMatchesDump(sb, dump(hash));
        assertEquals("00ff10aa", sb.saltHex());
        hash = format("--salt", "-");
        assertEquals("-", VeritySuperblock.read(hash, 0).saltHex());
    }

    @Test
    void smallBlocksAndTheChromeOsFormat() throws Exception {
        Path hash = format("--data-block-size", "1024", "--hash-block-size", "512", "--format", "0");
        VeritySuperblock sb = VeritySuperblock.read(hash, 0);
        assertMatchesDump(sb, dump(hash));
        assertEquals(1024, sb.dataBlockSize());
        assertEquals(512, sb.hashBlockSize());
        assertEquals(0, sb.hashType());
        assertEquals(1024, sb.dataBlocks());
        assertEquals(1, sb.hashStartBlock(0));
    }

    @Test
    void hashAfterTheDataOnTheSameFile() throws Exception {
        Path disk = dir.resolve("disk.img");
        Files.write(disk, new byte[2 << 20]);
        String out = run(List.of("veritysetup", "format", "--hash-offset=1048576", "--data-blocks=256", disk.toString(), disk.toString()));
        assertTrue(out.contains("Root hash:"), out);
        VeritySuperblock sb = VeritySuperblock.read(disk, 1048576);
        assertMatchesDump(sb, dump(disk, "--hash-offset=1048576"));
        // veritysetup --debug verify says "hash_device disk.img, offset 257" for this layout
        assertEquals(257, sb.hashStartBlock(1048576));
        IOException wrongOffset = assertThrows(IOException.class, () -> VeritySuperblock.read(disk, 0));
        assertTrue(wrongOffset.getMessage().contains("no \"verity\" signature"), wrongOffset.getMessage());
    }

    @Test
    void aDeviceTooShortForTheSuperblockIsAClearError() throws Exception {
        Path hash = format();
        IOException e = assertThrows(IOException.class, () -> VeritySuperblock.read(hash, Files.size(hash) - 100));
        assertTrue(e.getMessage().contains("ends before a verity superblock at offset"), e.getMessage());
    }

    /** The real superblock with one change; parsing it must fail with {@code why} in the message. */
    private void assertRefused(Consumer<ByteBuffer> change, String why) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(format())).order(ByteOrder.LITTLE_ENDIAN).limit(512);
        change.accept(b);
        IOException e = assertThrows(IOException.class, () -> VeritySuperblock.parse(b, "test"));
        assertTrue(e.getMessage().startsWith("not a usable dm-verity superblock (test): "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void hostileSuperblocksAreRefusedWithTheFieldNamed() throws Exception {
        assertRefused(b -> b.put(0, (byte) 'V'), "no \"verity\" signature");
        assertRefused(b -> b.putInt(8, 2), "superblock version 2");
        assertRefused(b -> b.putInt(12, -1), "hash type 4294967295");
        assertRefused(b -> { for (int i = 32; i < 64; i++) b.put(i, (byte) 'a'); }, "hash algorithm name is empty or not terminated");
        assertRefused(b -> b.put(32, (byte) 0), "hash algorithm name is empty or not terminated");
        assertRefused(b -> b.put(33, (byte) ' '), "hash algorithm name has a byte 0x20");
        assertRefused(b -> b.putInt(64, 0), "data block size 0 is not a power of two");
        assertRefused(b -> b.putInt(64, 3000), "data block size 3000");
        assertRefused(b -> b.putInt(68, 1 << 30), "hash block size 1073741824");
        assertRefused(b -> b.putLong(72, 0), "data block count 0");
        assertRefused(b -> b.putLong(72, -1), "data block count 18446744073709551615");
        assertRefused(b -> b.putShort(80, (short) 257), "salt of 257 bytes");
        assertRefused(b -> b.limit(100), "only 100 bytes");
    }

    @Test
    void anUnsetUuidIsNull() throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(format())).order(ByteOrder.LITTLE_ENDIAN).limit(512);
        for (int i = 16; i < 32; i++) b.put(i, (byte) 0);
        assertNull(VeritySuperblock.parse(b, "test").uuid());
        assertEquals(HexFormat.of().formatHex(VeritySuperblock.parse(b, "test").salt()), VeritySuperblock.parse(b, "test").saltHex());
    }
}
