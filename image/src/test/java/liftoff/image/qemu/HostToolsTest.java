package liftoff.image.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostToolsTest {
    @Test
    void aMissingToolNamesTheDebianPackage() {
        IOException e = assertThrows(IOException.class, () -> HostTools.require("liftoff-no-such-tool", "liftoff-pkg"));

        assertEquals("liftoff-no-such-tool not found: install it with apt-get install liftoff-pkg", e.getMessage());
    }

    @Test
    void runPassesTheEnvironmentAndAFailureCarriesTheOutput() throws IOException {
        assertEquals("42\n", HostTools.run(List.of("sh", "-c", "echo $ANSWER"), Map.of("ANSWER", "42")));

        IOException e = assertThrows(IOException.class,
                () -> HostTools.run(List.of("sh", "-c", "echo bad superblock >&2; exit 3"), Map.of()));

        assertEquals("sh -c echo bad superblock >&2; exit 3 failed (exit 3): bad superblock", e.getMessage());
    }
}
