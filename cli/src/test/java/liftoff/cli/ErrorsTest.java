package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one line every verb prints for a failure: the file and the operating system's words, never Java's. */
class ErrorsTest {

    @Test
    void aFileErrorNamesTheFileAndWhatIsWrong() {
        // What Files.newOutputStream throws for a file that cannot be created there (-o /proc/nope).
        assertEquals("/proc/nope.partial: No such file or directory", Errors.message(new NoSuchFileException("/proc/nope.partial")));
        assertEquals("/boot/initrd.img: Permission denied", Errors.message(new AccessDeniedException("/boot/initrd.img")));
        assertEquals("/boot/initrd.img: No space left on device",
                Errors.message(new FileSystemException("/boot/initrd.img", null, "No space left on device")));
    }

    @Test
    void anyOtherFailureIsItsMessageWithoutTheExceptionName() {
        assertEquals("Is a directory", Errors.reason(new IOException("Is a directory")));
        assertEquals("KERNEL_VERSION=x: expected one of yes, no", Errors.message(new IOException("KERNEL_VERSION=x: expected one of yes, no")));
        assertEquals("java.lang.IllegalStateException", Errors.message(new IllegalStateException()));
    }

    @Command(name = "fails")
    static final class Fails implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            throw new NoSuchFileException("/etc/liftoff/liftoff.conf");
        }
    }

    /** A verb lets its exception out; the handler Main installs prints the line and exits 1, no stack trace. */
    @Test
    void theHandlerPrintsOneLineAndExitsOne() {
        CommandLine cli = Main.commandLine();
        cli.addSubcommand(new Fails());
        StringWriter err = new StringWriter();
        cli.getSubcommands().get("fails").setErr(new PrintWriter(err, true));
        assertEquals(1, cli.execute("fails"));
        assertEquals("liftoff fails: /etc/liftoff/liftoff.conf: No such file or directory\n", err.toString());
    }
}
