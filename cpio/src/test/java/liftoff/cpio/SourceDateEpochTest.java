package liftoff.cpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SourceDateEpochTest {
    @Test
    void unsetOrBlankMeansNoClamp() {
        assertEquals(OptionalLong.empty(), SourceDateEpoch.parse(null));
        assertEquals(OptionalLong.empty(), SourceDateEpoch.parse(" "));
    }

    @Test
    void secondsAreTakenAsGiven() {
        assertEquals(OptionalLong.of(1700000000), SourceDateEpoch.parse("1700000000\n"));
        assertEquals(OptionalLong.of(0), SourceDateEpoch.parse("0"));
    }

    @Test
    void anythingElseIsRefusedByName() {
        for (String bad : new String[] {"yesterday", "-1", "1.5", "99999999999999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SourceDateEpoch.parse(bad));
            assertEquals("SOURCE_DATE_EPOCH=" + bad + " is not a number of seconds since 1970", e.getMessage());
        }
    }
}
