package liftoff.image.uki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layout of a UKI written on Debian's systemd-stub with the installed kernel: where each section
 * goes, that the headers say so (sizes, counts, checksum), and that binutils' objdump reads the
 * same section table.
 */
class UkiWriterTest {
    @TempDir
    Path dir;

    @Test
    void sectionsFollowTheStubsAlignedAndInUkifysOrder() throws Exception {
        Path initrd = UkiFixtures.initrd(dir, 300_001);
        Path splash = Files.write(dir.resolve("splash.bmp"), "BM not really a bitmap".getBytes(StandardCharsets.US_ASCII));
        Path dtb = Files.write(dir.resolve("board.dtb"), new byte[] {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed, 0, 0, 0, 8});
        UkiParts base = UkiFixtures.parts(UkiFixtures.stub(), initrd);
        UkiParts parts = new UkiParts(base.stub(), base.kernel(), initrd, base.cmdline(), base.osRelease(), base.uname(),
                Optional.of(splash), Optional.of(dtb), base.sbatLine());
        Path uki = dir.resolve("uki.efi");
        UkiWriter.write(parts, uki);

        try (PeFile stub = PeFile.open(parts.stub()); PeFile out = PeFile.open(uki); PeFile kernel = PeFile.open(parts.kernel())) {
            PeHeaders s = stub.headers();
            PeHeaders h = out.headers();
            List<String> names = h.sections().stream().map(PeSection::name).toList();
            List<String> expected = new ArrayList<>(s.sections().stream().map(PeSection::name).filter(n -> !n.equals(".sbat")).toList());
            expected.addAll(List.of(".osrel", ".cmdline", ".dtb", ".uname", ".splash", ".initrd", ".linux", ".sbat"));
            assertEquals(expected, names);

            // The stub's sections: same addresses, same bytes.
            for (PeSection original : s.sections()) {
                if (original.name().equals(".sbat")) continue;
                PeSection kept = h.section(original.name()).orElseThrow();
                assertEquals(original.virtualAddress(), kept.virtualAddress(), original.name());
                assertEquals(original.virtualSize(), kept.virtualSize(), original.name());
                assertArrayEquals(stub.bytes(original), out.bytes(kept), original.name());
            }
            long stubEnd = s.sections().stream().mapToLong(PeSection::virtualEnd).max().orElseThrow();
            long previousEnd = stubEnd;
            for (PeSection added : h.sections().subList(s.sections().size() - 1, h.sections().size())) {
                assertEquals(0, added.virtualAddress() % h.sectionAlignment(), added.name() + " is section-aligned");
                assertTrue(added.virtualAddress() >= previousEnd, added.name() + " follows the section before it");
                previousEnd = added.virtualEnd();
            }
            assertEquals(SectionLayout.alignUp(previousEnd, h.sectionAlignment()), h.sizeOfImage());

            // Raw data: file-aligned, contiguous after the headers, nothing after the last section.
            long offset = h.sizeOfHeaders();
            assertEquals(0, h.sizeOfHeaders() % h.fileAlignment());
            assertTrue(h.sizeOfHeaders() >= h.sectionTableOffset() + 40L * h.sections().size());
            for (PeSection section : h.sections()) {
                assertEquals(0, section.sizeOfRawData() % h.fileAlignment(), section.name());
                assertEquals(offset, section.pointerToRawData(), section.name() + " follows the raw data before it");
                offset += section.sizeOfRawData();
            }
            assertEquals(offset, Files.size(uki));

            assertEquals(PeChecksum.compute(out.channel(), h.checksumOffset()), h.checksum());
            assertTrue(h.checksum() != 0);

            assertArrayEquals(parts.osRelease(), out.bytes(h.section(".osrel").orElseThrow()));
            assertEquals("console=ttyS0 root=/dev/vda rw", out.text(".cmdline").orElseThrow());
            assertEquals(parts.uname(), out.text(".uname").orElseThrow());
            assertArrayEquals(Files.readAllBytes(splash), out.bytes(h.section(".splash").orElseThrow()));
            assertArrayEquals(Files.readAllBytes(dtb), out.bytes(h.section(".dtb").orElseThrow()));
            assertArrayEquals(Files.readAllBytes(initrd), out.bytes(h.section(".initrd").orElseThrow()));
            PeSection linux = h.section(".linux").orElseThrow();
            assertEquals(kernel.headers().sizeOfImage(), linux.virtualSize(), "the kernel gets its SizeOfImage in memory, as ukify gives it");
            byte[] file = Files.readAllBytes(uki);
            byte[] kernelBytes = Files.readAllBytes(parts.kernel());
            int kernelAt = (int) linux.pointerToRawData();
            assertArrayEquals(kernelBytes, Arrays.copyOfRange(file, kernelAt, kernelAt + kernelBytes.length));
            assertEquals(PeSection.CNT_CODE | PeSection.MEM_READ, linux.characteristics());

            String sbat = out.text(".sbat").orElseThrow();
            String stubSbat = stub.text(".sbat").orElseThrow();
            assertEquals(stubSbat.strip() + "\n" + UkiFixtures.SBAT_LINE + "\n", sbat);
        }
        assertEquals(ObjdumpSections.of(uki), ObjdumpSections.expected(uki));
    }
}
