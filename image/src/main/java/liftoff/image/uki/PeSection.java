package liftoff.image.uki;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One entry of a PE/COFF section table: where the section's bytes are in the file
 * ({@code pointerToRawData}, {@code sizeOfRawData}, a multiple of the file alignment) and where the
 * loader puts them in memory ({@code virtualAddress}, relative to the image base, and
 * {@code virtualSize}, the size in memory; the loader zero-fills beyond the raw data).
 */
public record PeSection(String name, long virtualSize, long virtualAddress, long sizeOfRawData, long pointerToRawData,
        int characteristics) {
    public static final int HEADER_SIZE = 40;
    /** Names are at most 8 bytes in an image (longer ones need a string table, which images do not have). */
    public static final int MAX_NAME = 8;

    public static final int CNT_CODE = 0x20;
    public static final int CNT_INITIALIZED_DATA = 0x40;
    public static final int MEM_READ = 0x40000000;

    /** Reads the entry at the buffer's position (little-endian). */
    static PeSection read(ByteBuffer table) {
        byte[] rawName = new byte[MAX_NAME];
        table.get(rawName);
        int length = 0;
        while (length < MAX_NAME && rawName[length] != 0) length++;
        String name = new String(rawName, 0, length, StandardCharsets.ISO_8859_1);
        long virtualSize = Integer.toUnsignedLong(table.getInt());
        long virtualAddress = Integer.toUnsignedLong(table.getInt());
        long sizeOfRawData = Integer.toUnsignedLong(table.getInt());
        long pointerToRawData = Integer.toUnsignedLong(table.getInt());
        table.position(table.position() + 12);   // relocations and line numbers: unused in images
        int characteristics = table.getInt();
        return new PeSection(name, virtualSize, virtualAddress, sizeOfRawData, pointerToRawData, characteristics);
    }

    /** The 40-byte table entry. */
    byte[] encode() {
        if (name.isEmpty() || name.length() > MAX_NAME || !StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
            throw new IllegalArgumentException("section name '" + name + "' is not 1-8 ASCII characters");
        }
        ByteBuffer entry = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        entry.put(name.getBytes(StandardCharsets.US_ASCII));
        entry.position(MAX_NAME);
        entry.putInt((int) virtualSize).putInt((int) virtualAddress).putInt((int) sizeOfRawData).putInt((int) pointerToRawData);
        entry.position(HEADER_SIZE - 4);
        entry.putInt(characteristics);
        return entry.array();
    }

    /** Bytes of the section in memory: VirtualSize, or the raw size when a linker left VirtualSize 0. */
    public long memorySize() {
        return virtualSize != 0 ? virtualSize : sizeOfRawData;
    }

    /** The section's own bytes in the file: what the loader copies (the raw data beyond VirtualSize is padding). */
    public long contentSize() {
        return Math.min(memorySize(), sizeOfRawData);
    }

    /** The first address after the section in memory. */
    public long virtualEnd() {
        return virtualAddress + memorySize();
    }
}
