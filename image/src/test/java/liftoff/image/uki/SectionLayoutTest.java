package liftoff.image.uki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The section table outgrowing the room the stub left before its first raw data. */
class SectionLayoutTest {
    @TempDir
    Path dir;

    @Test
    void whenTheTableOutgrowsTheHeadersTheRawDataMovesBack() throws Exception {
        // Debian's stub has 8 sections and room for 7 more before its raw data at 0x400; 4 more
        // leave too little for a UKI's 6.
        Path filler = Files.write(dir.resolve("filler"), new byte[] {1, 2, 3});
        Path crowded = dir.resolve("crowded.stub");
        List<String> objcopy = new ArrayList<>(List.of("objcopy"));
        for (int i = 1; i <= 4; i++) {
            objcopy.addAll(List.of("--add-section", ".fill" + i + "=" + filler,
                    "--change-section-vma", ".fill" + i + "=0x" + Integer.toHexString(0x20000 + i * 0x1000)));
        }
        objcopy.addAll(List.of(UkiFixtures.stub().toString(), crowded.toString()));
        UkiFixtures.check(objcopy.toArray(String[]::new));

        Path uki = dir.resolve("uki.efi");
        UkiWriter.write(UkiFixtures.parts(crowded, UkiFixtures.initrd(dir, 4097)), uki);
        try (PeFile stub = PeFile.open(crowded); PeFile out = PeFile.open(uki)) {
            long firstRaw = stub.headers().sections().stream().mapToLong(PeSection::pointerToRawData).min().orElseThrow();
            PeHeaders h = out.headers();
            assertTrue(h.sectionTableOffset() + 40L * h.sections().size() > firstRaw, "the table did need more room");
            assertEquals(firstRaw + h.fileAlignment(), h.sizeOfHeaders());
            for (PeSection original : stub.headers().sections()) {
                if (original.name().equals(".sbat")) continue;
                PeSection moved = h.section(original.name()).orElseThrow();
                assertEquals(original.virtualAddress(), moved.virtualAddress(), original.name());
                assertTrue(moved.pointerToRawData() >= h.sizeOfHeaders(), original.name());
                assertArrayEquals(stub.bytes(original), out.bytes(moved), original.name());
            }
            assertEquals(PeChecksum.compute(out.channel(), h.checksumOffset()), h.checksum());
        }
        assertEquals(ObjdumpSections.of(uki), ObjdumpSections.expected(uki));
    }

    @Test
    void theHeadersMayNotReachTheFirstSectionsAddress() {
        PeSection text = new PeSection(".text", 0x1000, 0x400, 0x1000, 0x400, PeSection.CNT_CODE | PeSection.MEM_READ);
        PeHeaders stub = new PeHeaders(0x80, 0x8664, 240, true, 0, 0x200, 0x200, 0x1000, 0, 0x1400, 0x400, 0, 10, 16,
                Optional.empty(), List.of(text));
        List<SectionLayout.Added> added = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            added.add(new SectionLayout.Added(".s" + i, new SectionContent.Bytes(new byte[1]), 0, PeSection.CNT_INITIALIZED_DATA));
        }
        PeFormatException e = assertThrows(PeFormatException.class, () -> SectionLayout.plan(stub,
                List.of(new SectionLayout.Placed(text, new SectionContent.Bytes(new byte[0x1000]))), added));
        assertEquals("no room for 26 section headers: they would end at 0x600, past the stub's first section at address 0x400",
                e.getMessage());
    }
}
