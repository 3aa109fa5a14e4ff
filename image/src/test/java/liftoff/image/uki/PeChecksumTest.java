package liftoff.image.uki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checksum against PE images whose linkers and signers computed theirs: systemd's stub and Debian's signed kernel. */
class PeChecksumTest {
    @TempDir
    Path dir;

    @Test
    void matchesTheChecksumOfTheStub() throws Exception {
        assertOwnChecksum(UkiFixtures.stub());
    }

    @Test
    void matchesTheChecksumOfDebiansSignedKernel() throws Exception {
        assertOwnChecksum(UkiFixtures.kernel().image());
    }

    @Test
    void anOddLengthCountsTheLastByteAsAWord() throws Exception {
        Path odd = Files.write(dir.resolve("odd"), new byte[] {1, 2, 3, 4, 5, 6, 7});
        try (FileChannel file = FileChannel.open(odd, StandardOpenOption.READ)) {
            // The "checksum" at 2..5 counts as zero: words 0x0201, 0, 0, then the last byte 7 as a word, plus the length 7.
            assertEquals(0x0201 + 7 + 7, PeChecksum.compute(file, 2));
        }
    }

    private static void assertOwnChecksum(Path image) throws Exception {
        try (PeFile pe = PeFile.open(image)) {
            assertEquals(pe.headers().checksum(), PeChecksum.compute(pe.channel(), pe.headers().checksumOffset()),
                    image + "'s own checksum");
        }
    }
}
