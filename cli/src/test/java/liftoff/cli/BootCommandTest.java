package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BootCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int liftoff(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aMissingImageIsASetupErrorNamingTheFile() {
        int status = liftoff("boot", "--image", "/nonexistent/initrd.img", "--kernel", "/nonexistent/vmlinuz");

        assertEquals(2, status);
        String message = err.toString();
        // QEMU is checked first; on a host without it, the message names its package instead.
        assertTrue(message.equals("liftoff boot: kernel /nonexistent/vmlinuz is missing or unreadable\n")
                || message.endsWith("apt-get install qemu-system-x86\n"), message);
    }

    @Test
    void anUnknownBusIsRejectedWithTheChoices() {
        int status = liftoff("boot", "--image", "x", "--bus", "sata");

        assertEquals(2, status);
        assertTrue(err.toString().contains("virtio-blk, virtio-scsi, nvme, ide"), err.toString());
    }

    @Test
    @Tag("qemu")
    void aBootThatNeverReachesTheRealInitFailsAndStillPrintsTheTimeline(@TempDir Path work) throws IOException {
        // Not an initramfs: the kernel finds no /init and no root, and panics; panic=-1 ends QEMU.
        Path image = Files.writeString(work.resolve("garbage.img"), "not a cpio archive\n");

        int status = liftoff("boot", "--image", image.toString(), "--timeout", "120");

        assertEquals(1, status, out.toString());
        String output = out.toString();
        assertTrue(output.contains("Kernel panic"), output);
        assertTrue(output.contains("\nkernel start       0.000000"), output);
        assertTrue(output.matches("(?s).*\nreal init +- +-\n.*"), output);
        assertTrue(output.contains("FAILED: the real init never ran (QEMU exited with status 0)."), output);
    }
}
