package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfTest {
    static final Path JDK = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @Test
    void readsTheRealJavaLauncher() throws IOException {
        Elf java = Elf.read(JDK.resolve("bin/java"));
        assertTrue(java.is64());
        assertEquals(Elf.EM_X86_64, java.machine());
        assertEquals(Optional.of("/lib64/ld-linux-x86-64.so.2"), java.interpreter());
        assertEquals(List.of("libjli.so", "libc.so.6"), java.needed());
        // Temurin links the launcher with DT_RPATH (not RUNPATH) "$ORIGIN:$ORIGIN/../lib".
        assertFalse(java.hasRunpath());
        assertEquals(List.of(JDK.resolve("bin"), JDK.resolve("lib")), java.rpath(JDK.resolve("bin")));
    }

    @Test
    void readsTheRealLibjvm() throws IOException {
        Elf jvm = Elf.read(JDK.resolve("lib/server/libjvm.so"));
        assertEquals(Optional.of("libjvm.so"), jvm.soname());
        assertEquals(Elf.ET_DYN, jvm.type());
        assertTrue(jvm.needed().contains("libc.so.6"), jvm.needed().toString());
        assertTrue(jvm.interpreter().isEmpty());
    }

    @Test
    void staticBusyboxHasNoInterpreterAndNoNeeded() throws IOException {
        Elf busybox = Elf.read(Path.of("/bin/busybox"));
        assertTrue(busybox.interpreter().isEmpty());
        assertEquals(List.of(), busybox.needed());
    }

    @Test
    void readsModinfoOfARealKernelModule() throws IOException {
        Elf module = Elf.read(Path.of("/lib/modules", InstalledKernel.VERSION, "kernel/drivers/block/virtio_blk.ko"));
        String modinfo = StandardCharsets.UTF_8.decode(module.section(".modinfo").orElseThrow()).toString();
        assertTrue(modinfo.contains("name=virtio_blk\0"), modinfo);
        assertTrue(module.section(".no-such-section").isEmpty());
    }

    @Test
    void parsesBuiltElf64AndBigEndianElf32() throws IOException {
        for (ElfBytes b : List.of(ElfBytes.x86_64(), new ElfBytes(false, ByteOrder.BIG_ENDIAN, 8 /* EM_MIPS */))) {
            b.interpreter = "/lib/ld.so.1";
            b.needed.addAll(List.of("libfoo.so.1", "libc.so.6"));
            b.runpath = "$ORIGIN/../lib:${ORIGIN}/x:$LIB/skipped::/opt/lib";
            b.rpath = "/ignored";
            b.soname = "libself.so.2";
            b.modinfo = "license=GPL\0firmware=a.bin\0";
            Elf elf = Elf.parse(b.build(), "built");
            assertEquals(b.is64, elf.is64());
            assertEquals(b.machine, elf.machine());
            assertEquals(Optional.of("/lib/ld.so.1"), elf.interpreter());
            assertEquals(List.of("libfoo.so.1", "libc.so.6"), elf.needed());
            assertEquals(Optional.of("libself.so.2"), elf.soname());
            assertEquals(List.of(Path.of("/app/lib"), Path.of("/app/bin/x"), Path.of("/opt/lib")), elf.runpath(Path.of("/app/bin")));
            assertEquals(List.of(Path.of("/ignored")), elf.rpath(Path.of("/app/bin")));
            ByteBuffer modinfo = elf.section(".modinfo").orElseThrow();
            assertEquals("license=GPL\0firmware=a.bin\0", StandardCharsets.UTF_8.decode(modinfo).toString());
        }
    }

    @Test
    void everyTruncationIsAnElfExceptionNamingTheFile() {
        ElfBytes b = ElfBytes.x86_64();
        b.interpreter = "/lib64/ld-linux-x86-64.so.2";
        b.needed.add("libc.so.6");
        byte[] whole = b.build();
        // The section headers come last, so every shorter prefix loses something the parser must notice
        // (the dynamic section at the latest when reading sections).
        for (int length = 0; length < whole.length; length++) {
            byte[] prefix = Arrays.copyOf(whole, length);
            ElfException e = assertThrows(ElfException.class, () -> Elf.parse(prefix, "prefix.so").section(".modinfo"),
                    "prefix of " + length + " bytes");
            assertTrue(e.getMessage().startsWith("prefix.so: "), e.getMessage());
        }
    }

    @Test
    void hostileFieldsAreRejected() {
        ElfBytes b = ElfBytes.x86_64();
        b.needed.add("libc.so.6");
        byte[] good = b.build();

        assertRejected(good, bytes -> bytes.putLong(b.phoffField, -1L), "program header table");
        assertRejected(good, bytes -> bytes.putShort(b.phnumField, (short) 0xffff), "program header table");
        assertRejected(good, bytes -> bytes.putLong(b.shoffField, Long.MAX_VALUE - 3), "section header 0");
        assertRejected(good, bytes -> bytes.putLong(b.dynamicOffset + 8, 1L << 40), "dynamic string index");
        assertRejected(good, bytes -> bytes.put(0, (byte) 0x7e), "not an ELF file");
        assertRejected(good, bytes -> bytes.put(4, (byte) 7), "unknown ELF class 7");
        // An unterminated string table: overwrite everything from the string table to the end with 'A'.
        assertRejected(good, bytes -> {
            for (int i = b.strtabOffset; i < bytes.limit(); i++) bytes.put(i, (byte) 'A');
        }, "unterminated");
    }

    @Test
    void randomCorruptionNeverEscapesAsAnotherException() {
        ElfBytes b = ElfBytes.x86_64();
        b.interpreter = "/lib64/ld-linux-x86-64.so.2";
        b.needed.add("libc.so.6");
        b.runpath = "$ORIGIN";
        b.modinfo = "firmware=x.bin\0";
        byte[] good = b.build();
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] bad = good.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            try {
                Elf elf = Elf.parse(bad, "fuzzed");
                elf.section(".modinfo");
            } catch (ElfException expected) {
                // fine: a clear refusal
            }
        }
    }

    @Test
    void readingAFileNamesIt(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        ElfException e = assertThrows(ElfException.class, () -> Elf.read(text));
        assertEquals(text + ": not an ELF file (no \\x7fELF magic)", e.getMessage());
    }

    private static void assertRejected(byte[] good, java.util.function.Consumer<ByteBuffer> corrupt, String expected) {
        ByteBuffer bytes = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        corrupt.accept(bytes);
        ElfException e = assertThrows(ElfException.class, () -> Elf.parse(bytes.array(), "bad.so").section(".modinfo"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
