package liftoff.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an ELF32/ELF64 object that decide what an image must contain: the machine, the program
 * interpreter (the dynamic loader), DT_NEEDED, DT_RUNPATH/DT_RPATH, DT_SONAME, and named sections (a
 * kernel module's {@code .modinfo}).
 *
 * <p>Every offset, count and size read from the file is checked against the file's length before it is
 * used, so a truncated or hostile file ends in an {@link ElfException} naming the file: loops are
 * bounded by counts the file cannot inflate beyond its own size, and nothing is allocated larger than
 * the file.
 */
public final class Elf {
    public static final int EM_386 = 3;
    public static final int EM_ARM = 40;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    public static final int EM_RISCV = 243;

    public static final int ET_DYN = 3;

    private static final int PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3;
    private static final long DT_NULL = 0, DT_NEEDED = 1, DT_STRTAB = 5, DT_STRSZ = 10, DT_SONAME = 14,
            DT_RPATH = 15, DT_RUNPATH = 29;
    private static final int SHN_XINDEX = 0xffff;
    private static final int MAX_STRING = 4096;

    private final String origin;
    private final ByteBuffer data;
    private final boolean is64;
    private final int type;
    private final int machine;
    private final List<Segment> segments;
    private final long shoff;
    private final int shentsize;
    private final int shnum;
    private final int shstrndx;

    private String interpreter;
    private final List<String> needed = new ArrayList<>();
    private String runpath;
    private String rpath;
    private String soname;

    /** A program header: where a segment lives in the file and where it is mapped. */
    private record Segment(int type, long offset, long vaddr, long filesz) {}

    private Elf(ByteBuffer data, String origin) throws ElfException {
        this.origin = origin;
        this.data = data;
        require(data.limit() >= 16, "shorter than an ELF identification (" + data.limit() + " bytes)");
        require(data.get(0) == 0x7f && data.get(1) == 'E' && data.get(2) == 'L' && data.get(3) == 'F',
                "not an ELF file (no \\x7fELF magic)");
        int elfClass = data.get(4);
        require(elfClass == 1 || elfClass == 2, "unknown ELF class " + elfClass);
        is64 = elfClass == 2;
        int encoding = data.get(5);
        require(encoding == 1 || encoding == 2, "unknown ELF data encoding " + encoding);
        data.order(encoding == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        require(data.limit() >= (is64 ? 64 : 52), "truncated ELF header");

        type = u16(16);
        machine = u16(18);
        long phoff = is64 ? u64(32) : u32(28);
        shoff = is64 ? u64(40) : u32(32);
        int phentsize = u16(is64 ? 54 : 42);
        int phnum = u16(is64 ? 56 : 44);
        shentsize = u16(is64 ? 58 : 46);
        int shnumField = u16(is64 ? 60 : 48);
        int shstrndxField = u16(is64 ? 62 : 50);

        segments = readSegments(phoff, phentsize, phnum);
        // Extended numbering: with more than 0xff00 sections the real count and string-table index
        // live in section header 0.
        if (shoff != 0) {
            require(shentsize >= (is64 ? 64 : 40), "section header entry size " + shentsize + " too small");
            checkRange(shoff, shentsize, "section header 0");
        }
        shnum = shoff != 0 && shnumField == 0 ? (int) Math.min(sectionWord(0, 32, 20), Integer.MAX_VALUE) : shnumField;
        shstrndx = shoff != 0 && shstrndxField == SHN_XINDEX
                ? (int) Math.min(u32(sectionHeader(0) + (is64 ? 40 : 24)), Integer.MAX_VALUE) // sh_link
                : shstrndxField;
        readInterpreter();
        readDynamic();
    }

    /** Reads {@code file}, memory-mapped so a 30 MB libjvm.so costs no heap. */
    public static Elf read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new ElfException(file.toString(), "larger than 2 GiB (" + size + " bytes)");
            }
            return new Elf(channel.map(FileChannel.MapMode.READ_ONLY, 0, size), file.toString());
        }
    }

    /** Parses an object already in memory (a decompressed kernel module, a test's bytes). */
    public static Elf parse(byte[] bytes, String origin) throws ElfException {
        return new Elf(ByteBuffer.wrap(bytes), origin);
    }

    public boolean is64() {
        return is64;
    }

    /** e_machine, e.g. {@link #EM_X86_64}. */
    public int machine() {
        return machine;
    }

    /** e_type, e.g. {@link #ET_DYN}. */
    public int type() {
        return type;
    }

    /** PT_INTERP: the loader path the kernel runs this program with; empty for static programs and most libraries. */
    public Optional<String> interpreter() {
        return Optional.ofNullable(interpreter);
    }

    /** DT_NEEDED, in file order (the order ld.so loads them). */
    public List<String> needed() {
        return List.copyOf(needed);
    }

    public Optional<String> soname() {
        return Optional.ofNullable(soname);
    }

    /**
     * DT_RUNPATH directories with $ORIGIN replaced by {@code originDir}; see {@link #expand}. With a null
     * {@code originDir} the entries that use $ORIGIN are dropped.
     */
    public List<Path> runpath(Path originDir) {
        return expand(runpath, originDir);
    }

    /** DT_RPATH directories with $ORIGIN replaced by {@code originDir}; ld.so ignores them when DT_RUNPATH exists. */
    public List<Path> rpath(Path originDir) {
        return expand(rpath, originDir);
    }

    public boolean hasRunpath() {
        return runpath != null;
    }

    /**
     * The contents of the section named {@code name} (e.g. ".modinfo"), or empty when there is none.
     * The buffer is a read-only view of the file.
     */
    public Optional<ByteBuffer> section(String name) throws ElfException {
        if (shoff == 0 || shnum == 0) {
            return Optional.empty();
        }
        require(shstrndx < shnum, "section name table index " + shstrndx + " out of " + shnum + " sections");
        long namesOffset = sectionWord(shstrndx, 24, 16);
        long namesSize = sectionWord(shstrndx, 32, 20);
        checkRange(namesOffset, namesSize, "section name table");
        for (int i = 0; i < shnum; i++) {
            long nameIndex = u32(sectionHeader(i)); // sh_name is the first field in both classes
            require(nameIndex < namesSize, "section " + i + " name index out of the name table");
            if (string(namesOffset + nameIndex, namesOffset + namesSize).equals(name)) {
                long offset = sectionWord(i, 24, 16);
                long size = sectionWord(i, 32, 20);
                checkRange(offset, size, "section " + name);
                return Optional.of(data.slice((int) offset, (int) size).asReadOnlyBuffer());
            }
        }
        return Optional.empty();
    }

    private List<Segment> readSegments(long phoff, int phentsize, int phnum) throws ElfException {
        if (phnum == 0) {
            return List.of();
        }
        require(phentsize >= (is64 ? 56 : 32), "program header entry size " + phentsize + " too small");
        checkRange(phoff, (long) phentsize * phnum, "program header table");
        List<Segment> result = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * phentsize);
            result.add(is64
                    ? new Segment(data.getInt(at), u64(at + 8), u64(at + 16), u64(at + 32))
                    : new Segment(data.getInt(at), u32(at + 4), u32(at + 8), u32(at + 16)));
        }
        return result;
    }

    private void readInterpreter() throws ElfException {
        for (Segment s : segments) {
            if (s.type == PT_INTERP) {
                checkRange(s.offset, s.filesz, "PT_INTERP");
                interpreter = string(s.offset, s.offset + s.filesz);
            }
        }
    }

    private void readDynamic() throws ElfException {
        Segment dynamic = segments.stream().filter(s -> s.type == PT_DYNAMIC).findFirst().orElse(null);
        if (dynamic == null) {
            return;
        }
        checkRange(dynamic.offset, dynamic.filesz, "PT_DYNAMIC");
        int entrySize = is64 ? 16 : 8;
        long strtabAddress = -1, strtabSize = -1;
        List<long[]> stringEntries = new ArrayList<>(); // {tag, string-table index}, resolved once DT_STRTAB is known
        for (long at = dynamic.offset; at + entrySize <= dynamic.offset + dynamic.filesz; at += entrySize) {
            long tag = is64 ? data.getLong((int) at) : data.getInt((int) at);
            long value = is64 ? u64(at + 8) : u32(at + 4);
            if (tag == DT_NULL) {
                break;
            } else if (tag == DT_STRTAB) {
                strtabAddress = value;
            } else if (tag == DT_STRSZ) {
                strtabSize = value;
            } else if (tag == DT_NEEDED || tag == DT_SONAME || tag == DT_RPATH || tag == DT_RUNPATH) {
                stringEntries.add(new long[] {tag, value});
            }
        }
        if (stringEntries.isEmpty()) {
            return;
        }
        require(strtabAddress >= 0 && strtabSize >= 0, "PT_DYNAMIC has strings but no DT_STRTAB/DT_STRSZ");
        long strtab = fileOffset(strtabAddress);
        checkRange(strtab, strtabSize, "DT_STRTAB");
        for (long[] entry : stringEntries) {
            require(entry[1] >= 0 && entry[1] < strtabSize, "dynamic string index " + entry[1] + " outside DT_STRTAB");
            String value = string(strtab + entry[1], strtab + strtabSize);
            if (entry[0] == DT_NEEDED) {
                needed.add(value);
            } else if (entry[0] == DT_SONAME) {
                soname = value;
            } else if (entry[0] == DT_RPATH) {
                rpath = value;
            } else {
                runpath = value;
            }
        }
    }

    /** Maps a virtual address (DT_STRTAB holds one) to a file offset through the PT_LOAD segments. */
    private long fileOffset(long address) throws ElfException {
        for (Segment s : segments) {
            if (s.type == PT_LOAD && address >= s.vaddr && address - s.vaddr < s.filesz) {
                return s.offset + (address - s.vaddr);
            }
        }
        throw new ElfException(origin, "address 0x" + Long.toHexString(address) + " is in no PT_LOAD segment");
    }

    /** Offset of section header {@code index} in the file, after checking it lies inside. */
    private int sectionHeader(int index) throws ElfException {
        long at = shoff + (long) index * shentsize;
        checkRange(at, shentsize, "section header " + index);
        return (int) at;
    }

    /** A word-sized field of a section header: {@code offset64} in ELF64, {@code offset32} in ELF32. */
    private long sectionWord(int index, int offset64, int offset32) throws ElfException {
        int header = sectionHeader(index);
        return is64 ? u64(header + offset64) : u32(header + offset32);
    }

    /**
     * The NUL-terminated string at {@code start}; the NUL must come before {@code end}. Strings longer than
     * PATH_MAX are refused so that many entries pointing at one huge unterminated run cannot cost
     * quadratic time.
     */
    private String string(long start, long end) throws ElfException {
        long limit = Math.min(Math.min(end, data.limit()), start + MAX_STRING + 1);
        for (long i = start; i < limit; i++) {
            if (data.get((int) i) == 0) {
                byte[] bytes = new byte[(int) (i - start)];
                data.get((int) start, bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
        throw new ElfException(origin, "unterminated (or longer than " + MAX_STRING + " bytes) string at offset " + start);
    }

    private void checkRange(long offset, long length, String what) throws ElfException {
        // Unsigned 64-bit values above Long.MAX_VALUE arrive negative: they are out of range too.
        if (offset < 0 || length < 0 || offset > data.limit() || length > data.limit() - offset) {
            throw new ElfException(origin, what + " (offset " + Long.toUnsignedString(offset) + ", size "
                    + Long.toUnsignedString(length) + ") lies outside the file (" + data.limit() + " bytes)");
        }
    }

    private void require(boolean condition, String problem) throws ElfException {
        if (!condition) {
            throw new ElfException(origin, problem);
        }
    }

    private int u16(int at) {
        return Short.toUnsignedInt(data.getShort(at));
    }

    private long u32(long at) {
        return Integer.toUnsignedLong(data.getInt((int) at));
    }

    private long u64(long at) {
        return data.getLong((int) at);
    }

    /**
     * Splits a colon-separated search path and replaces $ORIGIN / ${ORIGIN}. Entries with other dynamic
     * string tokens ($LIB, $PLATFORM) and empty entries are dropped: this builder cannot know what the
     * loader would substitute, and guessing would ship the wrong directory.
     */
    private static List<Path> expand(String searchPath, Path originDir) {
        if (searchPath == null) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        for (String entry : searchPath.split(":")) {
            String expanded = originDir == null ? entry
                    : entry.replace("${ORIGIN}", originDir.toString()).replace("$ORIGIN", originDir.toString());
            if (!expanded.isEmpty() && !expanded.contains("$")) {
                dirs.add(Path.of(expanded).normalize());
            }
        }
        return dirs;
    }
}
