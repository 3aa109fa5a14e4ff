package liftoff.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small, valid ELF objects in memory so tests can corrupt them field by field. Layout: ELF header,
 * program headers (PT_LOAD over the whole file, PT_INTERP when an interpreter is given, PT_DYNAMIC), the
 * interpreter string, the dynamic section, the string table, then one section ".modinfo" with a section
 * name table and section headers.
 */
final class ElfBytes {
    final boolean is64;
    final ByteOrder order;
    final int machine;
    String interpreter;
    final List<String> needed = new ArrayList<>();
    String runpath;
    String rpath;
    String soname;
    String modinfo = "";

    /** Offsets of interesting fields in the last {@link #build()} result, for tests that corrupt them. */
    int phoffField, phnumField, shoffField, shnumField, dynamicOffset, strtabOffset;

    ElfBytes(boolean is64, ByteOrder order, int machine) {
        this.is64 = is64;
        this.order = order;
        this.machine = machine;
    }

    /** An x86-64 object needing {@code needed}. */
    static ElfBytes x86_64(String... needed) {
        ElfBytes elf = new ElfBytes(true, ByteOrder.LITTLE_ENDIAN, Elf.EM_X86_64);
        elf.needed.addAll(List.of(needed));
        return elf;
    }

    byte[] build() {
        int ehsize = is64 ? 64 : 52, phentsize = is64 ? 56 : 32, shentsize = is64 ? 64 : 40, dynsize = is64 ? 16 : 8;
        int phnum = interpreter == null ? 2 : 3;

        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        List<long[]> dynamic = new ArrayList<>();
        for (String name : needed) {
            dynamic.add(new long[] {1, add(strtab, name)});
        }
        if (soname != null) dynamic.add(new long[] {14, add(strtab, soname)});
        if (rpath != null) dynamic.add(new long[] {15, add(strtab, rpath)});
        if (runpath != null) dynamic.add(new long[] {29, add(strtab, runpath)});

        byte[] interp = interpreter == null ? new byte[0] : (interpreter + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] modinfoBytes = modinfo.getBytes(StandardCharsets.UTF_8);
        byte[] shstrtab = "\0.modinfo\0.shstrtab\0".getBytes(StandardCharsets.UTF_8);

        int interpOffset = ehsize + phnum * phentsize;
        dynamicOffset = interpOffset + interp.length;
        int dynamicSize = (dynamic.size() + 3) * dynsize; // the entries, DT_STRTAB, DT_STRSZ, DT_NULL
        strtabOffset = dynamicOffset + dynamicSize;
        int modinfoOffset = strtabOffset + strtab.size();
        int shstrtabOffset = modinfoOffset + modinfoBytes.length;
        int shoff = shstrtabOffset + shstrtab.length;
        int total = shoff + 3 * shentsize;

        ByteBuffer b = ByteBuffer.allocate(total).order(order);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2), 1});
        b.putShort(16, (short) Elf.ET_DYN).putShort(18, (short) machine).putInt(20, 1);
        phoffField = is64 ? 32 : 28;
        shoffField = is64 ? 40 : 32;
        phnumField = is64 ? 56 : 44;
        shnumField = is64 ? 60 : 48;
        word(b, phoffField, ehsize);
        word(b, shoffField, shoff);
        b.putShort(is64 ? 52 : 40, (short) ehsize).putShort(is64 ? 54 : 42, (short) phentsize)
                .putShort(phnumField, (short) phnum).putShort(is64 ? 58 : 46, (short) shentsize)
                .putShort(shnumField, (short) 3).putShort(is64 ? 62 : 50, (short) 2);

        int ph = ehsize;
        phdr(b, ph, 1, 0, total); // PT_LOAD: vaddr == file offset
        ph += phentsize;
        if (interpreter != null) {
            phdr(b, ph, 3, interpOffset, interp.length);
            ph += phentsize;
        }
        phdr(b, ph, 2, dynamicOffset, dynamicSize);
        b.put(interpOffset, interp);

        int at = dynamicOffset;
        for (long[] entry : dynamic) {
            at = dyn(b, at, entry[0], entry[1]);
        }
        at = dyn(b, at, 5, strtabOffset);
        at = dyn(b, at, 10, strtab.size());
        dyn(b, at, 0, 0);
        b.put(strtabOffset, strtab.toByteArray());
        b.put(modinfoOffset, modinfoBytes);
        b.put(shstrtabOffset, shstrtab);
        shdr(b, shoff + shentsize, 1, modinfoOffset, modinfoBytes.length);
        shdr(b, shoff + 2 * shentsize, 10, shstrtabOffset, shstrtab.length);
        return b.array();
    }

    private static int add(ByteArrayOutputStream strtab, String s) {
        int index = strtab.size();
        strtab.writeBytes((s + "\0").getBytes(StandardCharsets.UTF_8));
        return index;
    }

    private void word(ByteBuffer b, int at, long value) {
        if (is64) b.putLong(at, value);
        else b.putInt(at, (int) value);
    }

    private void phdr(ByteBuffer b, int at, int type, long offset, long size) {
        b.putInt(at, type);
        if (is64) {
            b.putLong(at + 8, offset).putLong(at + 16, offset).putLong(at + 32, size).putLong(at + 40, size);
        } else {
            b.putInt(at + 4, (int) offset).putInt(at + 8, (int) offset).putInt(at + 16, (int) size).putInt(at + 20, (int) size);
        }
    }

    private int dyn(ByteBuffer b, int at, long tag, long value) {
        word(b, at, tag);
        word(b, at + (is64 ? 8 : 4), value);
        return at + (is64 ? 16 : 8);
    }

    private void shdr(ByteBuffer b, int at, int nameIndex, long offset, long size) {
        b.putInt(at, nameIndex).putInt(at + 4, 1);
        word(b, at + (is64 ? 24 : 16), offset);
        word(b, at + (is64 ? 32 : 20), size);
    }
}
