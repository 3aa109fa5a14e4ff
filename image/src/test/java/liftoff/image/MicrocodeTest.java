package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MicrocodeTest {
    @Test
    void concatenatesEachVendorsBlobsInNameOrder(@TempDir Path dir) throws IOException {
        Path intel = Files.createDirectories(dir.resolve("firmware/intel-ucode"));
        Files.writeString(intel.resolve("06-8e-0a"), "B");
        Files.writeString(intel.resolve("06-55-04"), "A");
        Files.writeString(intel.resolve("README"), "not a blob");
        Path amd = Files.createDirectories(dir.resolve("firmware/amd-ucode"));
        Files.writeString(amd.resolve("microcode_amd_fam17h.bin"), "Z");
        Files.writeString(amd.resolve("microcode_amd_fam17h.bin.asc"), "signature, not a blob");

        Path staging = dir.resolve("staging");
        String spec = Listing.of(Microcode.stage(dir.resolve("firmware"), staging));
        Path out = staging.resolve("kernel/x86/microcode");
        assertEquals("""
                dir /kernel 0755 0 0
                dir /kernel/x86 0755 0 0
                dir /kernel/x86/microcode 0755 0 0
                file /kernel/x86/microcode/AuthenticAMD.bin %s 0644 0 0
                file /kernel/x86/microcode/GenuineIntel.bin %s 0644 0 0
                """.formatted(out.resolve("AuthenticAMD.bin"), out.resolve("GenuineIntel.bin")), spec);
        assertArrayEquals("AB".getBytes(), Files.readAllBytes(out.resolve("GenuineIntel.bin")));
        assertArrayEquals("Z".getBytes(), Files.readAllBytes(out.resolve("AuthenticAMD.bin")));
    }

    @Test
    void thisHostHasNoMicrocodeSoThereIsNoSegment(@TempDir Path staging) throws IOException {
        assertEquals(List.of(), Microcode.stage(Path.of("/lib/firmware"), staging));
    }
}
