package liftoff.image.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console over pipes that stand in for QEMU's stdout and stdin. */
class ConsoleTest {
    private static final Duration SHORT = Duration.ofSeconds(5);

    private final PipedOutputStream guest = new PipedOutputStream();
    private final ByteArrayOutputStream keyboard = new ByteArrayOutputStream();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Console console;

    ConsoleTest() throws IOException {
        console = new Console(new PipedInputStream(guest, 1 << 16), keyboard, lines::add);
    }

    private void print(String text) throws IOException {
        guest.write(text.getBytes(UTF_8));
        guest.flush();
    }

    @Test
    void linesGoToTheListenerWithoutCarriageReturns() throws Exception {
        print("one\r\ntwo\r\nunfinished");
        guest.close();
        console.awaitClosed();

        assertEquals(List.of("one", "two", "unfinished"), lines);
        assertEquals("one\ntwo\nunfinished", console.text());
    }

    @Test
    void awaitSeesAPromptWithoutLineEndAndTypingReachesTheGuest() throws Exception {
        print("Boot\nPassphrase for /dev/vda2: ");
        assertEquals("Passphrase for /dev/vda2: ", console.await("Passphrase for /dev/vda2: ", SHORT));

        console.type("secret\n");

        assertEquals("secret\n", keyboard.toString(UTF_8));
    }

    @Test
    void eachAwaitSearchesOnlyAfterThePreviousMatch() throws Exception {
        print("# ls\n# ");
        console.await("# ", SHORT);
        assertEquals("# ", console.await("# ", SHORT));

        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(200);
                print("bin\n# ");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("bin", console.await(Pattern.compile("b\\w+"), SHORT));
        assertEquals("# ", console.await("# ", SHORT));
    }

    @Test
    void awaitFailsWithTheLastLinesWhenTheTimeRunsOut() throws Exception {
        print("Kernel panic - not syncing: VFS: Unable to mount root fs\n");

        IOException e = assertThrows(IOException.class, () -> console.await("login:", Duration.ofMillis(200)));

        assertTrue(e.getMessage().contains("nothing matched within PT0.2S"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Kernel panic - not syncing: VFS: Unable to mount root fs"), e.getMessage());
    }

    @Test
    void awaitFailsAtOnceWhenTheGuestIsGone() throws Exception {
        print("reboot: Power down\n");
        guest.close();

        IOException e = assertThrows(IOException.class, () -> console.await("login:", Duration.ofMinutes(5)));

        assertTrue(e.getMessage().contains("the console closed (QEMU exited)"), e.getMessage());
    }
}
