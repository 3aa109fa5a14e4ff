package liftoff.image.uki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The headers of a PE/COFF image (Microsoft's "PE Format" specification): the MS-DOS stub's pointer
 * to the PE signature, the COFF file header, the optional header (PE32 or PE32+) with its data
 * directories, and the section table. Offsets of the fields a writer or signer changes are methods,
 * so that no caller counts bytes itself.
 *
 * @param peOffset            where "PE\0\0" is (e_lfanew)
 * @param sizeOfOptionalHeader from the COFF header; the section table follows the optional header
 * @param pe32Plus            PE32+ (64-bit, magic 0x20b) or PE32 (0x10b)
 * @param certificateTable    data directory 4, the attribute certificates (a file offset, not an address)
 */
public record PeHeaders(int peOffset, int machine, int sizeOfOptionalHeader, boolean pe32Plus, long imageBase,
        long sectionAlignment, long fileAlignment, long sizeOfCode, long sizeOfInitializedData, long sizeOfImage,
        long sizeOfHeaders, long checksum, int subsystem, int numberOfRvaAndSizes, Optional<Region> certificateTable,
        List<PeSection> sections) {

    /** A range of the file. */
    public record Region(long offset, long size) {
        public long end() {
            return offset + size;
        }
    }

    static final int SUBSYSTEM_EFI_APPLICATION = 10;
    private static final int PE32 = 0x10b;
    private static final int PE32_PLUS = 0x20b;
    private static final int SECURITY_DIRECTORY = 4;
    private static final int COFF_HEADER_SIZE = 20;

    /** Reads and checks the headers of the image in {@code file}. */
    public static PeHeaders read(FileChannel file) throws IOException {
        ByteBuffer dos = Regions.read(file, 0, 64, "the MS-DOS header");
        if (dos.getShort(0) != 0x5a4d) throw new PeFormatException("no MZ signature at the start: not a PE/COFF image");
        int peOffset = dos.getInt(0x3c);
        if (peOffset < 64 || peOffset > file.size() - 24) throw new PeFormatException("the PE header offset " + peOffset + " is outside the file");
        ByteBuffer coff = Regions.read(file, peOffset, 4 + COFF_HEADER_SIZE, "the COFF header");
        if (coff.getInt(0) != 0x00004550) throw new PeFormatException("no PE signature at offset " + peOffset);
        int machine = Short.toUnsignedInt(coff.getShort(4));
        int numberOfSections = Short.toUnsignedInt(coff.getShort(6));
        int sizeOfOptionalHeader = Short.toUnsignedInt(coff.getShort(20));
        if (sizeOfOptionalHeader < 96) throw new PeFormatException("no optional header: an object file, not an image");
        ByteBuffer opt = Regions.read(file, peOffset + 24, sizeOfOptionalHeader, "the optional header");
        int magic = Short.toUnsignedInt(opt.getShort(0));
        if (magic != PE32 && magic != PE32_PLUS) throw new PeFormatException(String.format("unknown optional header magic 0x%x", magic));
        boolean plus = magic == PE32_PLUS;
        int directoriesAt = directoriesAt(plus);
        long imageBase = plus ? opt.getLong(24) : Integer.toUnsignedLong(opt.getInt(28));
        int rvaAndSizes = opt.getInt(directoriesAt - 4);
        int directoriesPresent = Math.min(rvaAndSizes, (sizeOfOptionalHeader - directoriesAt) / 8);
        Optional<Region> certificates = Optional.empty();
        if (directoriesPresent > SECURITY_DIRECTORY) {
            long offset = Integer.toUnsignedLong(opt.getInt(directoriesAt + 8 * SECURITY_DIRECTORY));
            long size = Integer.toUnsignedLong(opt.getInt(directoriesAt + 8 * SECURITY_DIRECTORY + 4));
            if (size != 0) {
                if (offset + size > file.size()) throw new PeFormatException("the certificate table runs past the end of the file");
                certificates = Optional.of(new Region(offset, size));
            }
        }
        long fileAlignment = Integer.toUnsignedLong(opt.getInt(36));
        if (Long.bitCount(fileAlignment) != 1) throw new PeFormatException("FileAlignment " + fileAlignment + " is not a power of two");

        long tableAt = peOffset + 24L + sizeOfOptionalHeader;
        ByteBuffer table = Regions.read(file, tableAt, numberOfSections * PeSection.HEADER_SIZE, "the section table");
        List<PeSection> sections = new ArrayList<>();
        for (int i = 0; i < numberOfSections; i++) {
            PeSection section = PeSection.read(table);
            if (section.sizeOfRawData() > 0 && section.pointerToRawData() + section.sizeOfRawData() > file.size()) {
                throw new PeFormatException("section " + section.name() + " runs past the end of the file");
            }
            sections.add(section);
        }
        return new PeHeaders(peOffset, machine, sizeOfOptionalHeader, plus, imageBase,
                Integer.toUnsignedLong(opt.getInt(32)), fileAlignment,
                Integer.toUnsignedLong(opt.getInt(4)), Integer.toUnsignedLong(opt.getInt(8)),
                Integer.toUnsignedLong(opt.getInt(56)), Integer.toUnsignedLong(opt.getInt(60)),
                Integer.toUnsignedLong(opt.getInt(64)), Short.toUnsignedInt(opt.getShort(68)), rvaAndSizes,
                certificates, List.copyOf(sections));
    }

    public Optional<PeSection> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    int optionalHeaderOffset() {
        return peOffset + 24;
    }

    int numberOfSectionsOffset() {
        return peOffset + 6;
    }

    /** PointerToSymbolTable and NumberOfSymbols: COFF debugging data, which an image should not carry. */
    int symbolTableOffset() {
        return peOffset + 12;
    }

    int sizeOfCodeOffset() {
        return optionalHeaderOffset() + 4;
    }

    int sizeOfInitializedDataOffset() {
        return optionalHeaderOffset() + 8;
    }

    int sizeOfImageOffset() {
        return optionalHeaderOffset() + 56;
    }

    int sizeOfHeadersOffset() {
        return optionalHeaderOffset() + 60;
    }

    /** The 4-byte CheckSum field: left out of the checksum and of the Authenticode hash. */
    public int checksumOffset() {
        return optionalHeaderOffset() + 64;
    }

    /** True when the optional header has a certificate table entry at all. */
    boolean hasCertificateEntry() {
        return numberOfRvaAndSizes > SECURITY_DIRECTORY && directoriesAt(pe32Plus) + 8 * (SECURITY_DIRECTORY + 1) <= sizeOfOptionalHeader;
    }

    /** The 8-byte certificate table entry (file offset, size): left out of the Authenticode hash. */
    public int certificateEntryOffset() {
        return optionalHeaderOffset() + directoriesAt(pe32Plus) + 8 * SECURITY_DIRECTORY;
    }

    /** Where the data directories start in the optional header: after its 64-bit or 32-bit fields. */
    private static int directoriesAt(boolean pe32Plus) {
        return pe32Plus ? 112 : 96;
    }

    public int sectionTableOffset() {
        return optionalHeaderOffset() + sizeOfOptionalHeader;
    }
}
