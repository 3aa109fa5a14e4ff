package liftoff.init.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cTest {
    @Test
    void theTableIsThePolynomialAppliedToEachByte() {
        for (int i = 0; i < 256; i++) {
            int r = i;
            for (int bit = 0; bit < 8; bit++) r = (r & 1) != 0 ? (r >>> 1) ^ 0x82F63B78 : r >>> 1;
            assertEquals(r, Crc32c.TABLE[i], "entry " + i);
        }
    }

    @Test
    void matchesTheJdksCrc32c() {
        assertEquals(0xE3069283, Crc32c.of("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9), "the check value");
        byte[] bytes = new byte[4096];
        new Random(42).nextBytes(bytes);
        for (int[] range : new int[][] {{0, 0}, {0, 1}, {0, 1020}, {32, 4064}, {1024, 3072}, {4095, 1}}) {
            CRC32C jdk = new CRC32C();
            jdk.update(bytes, range[0], range[1]);
            assertEquals((int) jdk.getValue(), Crc32c.of(bytes, range[0], range[1]), range[0] + "+" + range[1]);
        }
    }
}
