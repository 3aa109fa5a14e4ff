package liftoff.init.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The 512-byte superblock that {@code veritysetup format} writes at the start of the hash area
 * (cryptsetup's struct verity_sb, little-endian): what the kernel's verity table needs besides the
 * root hash. Every field is checked, since the hash device is as untrusted as the data until the
 * root hash has vouched for the tree.
 *
 * @param hashType      0 (Chrome OS) or 1 (normal): the table's version field
 * @param uuid          the hash device's UUID, or null when unset
 * @param salt          the salt, possibly empty
 */
public record VeritySuperblock(int hashType, String uuid, String algorithm, int dataBlockSize, int hashBlockSize,
        long dataBlocks, byte[] salt) {

    public static final int SIZE = 512;
    private static final String SIGNATURE = "verity\0\0";
    private static final int MAX_SALT = 256;
    private static final int MIN_BLOCK = 512;
    private static final int MAX_BLOCK = 512 * 1024;

    /** Reads and checks the superblock at byte {@code offset} of {@code device}. */
    public static VeritySuperblock read(java.nio.file.Path device, long offset) throws IOException {
        try (DeviceReader reader = DeviceReader.open(device)) {
            ByteBuffer b = reader.read(offset, SIZE);
            if (b == null) throw new IOException(device + " ends before a verity superblock at offset " + offset);
            return parse(b, device + " at offset " + offset);
        }
    }

    /** Checks and decodes 512 superblock bytes; {@code where} names them in the error. */
    public static VeritySuperblock parse(ByteBuffer b, String where) throws IOException {
        if (b.remaining() < SIZE) throw invalid(where, "only " + b.remaining() + " bytes");
        if (!Fields.hasMagic(b, 0, SIGNATURE)) throw invalid(where, "no \"verity\" signature (is this the hash device, and is hash-offset= right?)");
        int version = b.getInt(8);
        if (version != 1) throw invalid(where, "superblock version " + Integer.toUnsignedString(version) + ", only 1 is known");
        int hashType = b.getInt(12);
        if (hashType != 0 && hashType != 1) throw invalid(where, "hash type " + Integer.toUnsignedString(hashType) + ", not 0 or 1");
        String algorithm = algorithm(b, where);
        int dataBlockSize = blockSize(b.getInt(64), "data", where);
        int hashBlockSize = blockSize(b.getInt(68), "hash", where);
        long dataBlocks = b.getLong(72);
        if (dataBlocks <= 0 || dataBlocks > Long.MAX_VALUE / dataBlockSize) {
            throw invalid(where, "data block count " + Long.toUnsignedString(dataBlocks) + " is not a usable size");
        }
        int saltSize = Short.toUnsignedInt(b.getShort(80));
        if (saltSize > MAX_SALT) throw invalid(where, "salt of " + saltSize + " bytes, at most " + MAX_SALT);
        byte[] salt = new byte[saltSize];
        b.get(88, salt);
        return new VeritySuperblock(hashType, Fields.uuid(b, 16), algorithm, dataBlockSize, hashBlockSize, dataBlocks, salt);
    }

    /** The salt as the verity table writes it: hex, or "-" for none. */
    public String saltHex() {
        return salt.length == 0 ? "-" : HexFormat.of().formatHex(salt);
    }

    /** The data area in 512-byte sectors: the length of the verity target. */
    public long dataSectors() {
        return dataBlocks * (dataBlockSize / 512);
    }

    /**
     * The first block of the hash tree, in hash blocks, when the superblock is at byte
     * {@code superblockOffset}: the tree follows the superblock, rounded up to a hash block
     * (cryptsetup's VERITY_hash_offset_block).
     */
    public long hashStartBlock(long superblockOffset) {
        return (superblockOffset + SIZE + hashBlockSize - 1) / hashBlockSize;
    }

    /** A NUL-terminated kernel crypto name such as "sha256": lower-case letters, digits, '-', '_'. */
    private static String algorithm(ByteBuffer b, String where) throws IOException {
        int end = 0;
        while (end < 32 && b.get(32 + end) != 0) end++;
        if (end == 0 || end == 32) throw invalid(where, "hash algorithm name is empty or not terminated");
        byte[] name = new byte[end];
        b.get(32, name);
        for (byte c : name) {
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                throw invalid(where, "hash algorithm name has a byte 0x" + Integer.toHexString(c & 0xff));
            }
        }
        return new String(name, StandardCharsets.US_ASCII);
    }

    private static int blockSize(int value, String what, String where) throws IOException {
        if (value < MIN_BLOCK || value > MAX_BLOCK || !Fields.isPowerOfTwo(value)) {
            throw invalid(where, what + " block size " + Integer.toUnsignedString(value) + " is not a power of two from "
                    + MIN_BLOCK + " to " + MAX_BLOCK);
        }
        return value;
    }

    private static IOException invalid(String where, String why) {
        return new IOException("not a usable dm-verity superblock (" + where + "): " + why);
    }
}
