package liftoff.init.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tag values keep their bytes: whatever a superblock holds comes back unchanged. */
class TagTextTest {

    /** Valid UTF-8 is its text; the other bytes (a cut sequence, overlong, a surrogate) each stay. */
    @ParameterizedTest
    @ValueSource(strings = {"", "726f6f74", "72c3b6c3b67420f09f9a80", "e9", "636166e9", "e282", "e28241",
                            "c080", "eda080", "f4908080", "ff", "c3c3a9", "efbfbd", "efbfbf"})
    void bytesComeBackUnchanged(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex);
        assertArrayEquals(raw, TagText.bytes(TagText.decode(raw)), hex);
    }

    @Test
    void validUtf8IsItsText() {
        assertEquals("rööt 🚀", TagText.decode("rööt 🚀".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void randomBytesComeBackUnchanged() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            byte[] raw = new byte[random.nextInt(20)];
            random.nextBytes(raw);
            assertArrayEquals(raw, TagText.bytes(TagText.decode(raw)), HexFormat.of().formatHex(raw));
        }
    }
}
