package liftoff.image.uki;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import liftoff.image.qemu.Kernel;
import liftoff.image.qemu.Ovmf;

/**
 * Real inputs for UKI tests: Debian's systemd-stub, the installed cloud kernel (a signed PE itself),
 * and made-up initrds; and the host tools the results are checked with. A missing package fails the
 * test with its name (scripts/host-packages.sh installs them).
 */
final class UkiFixtures {
    static final String SBAT_LINE = "liftoff,1,liftoff,liftoff,0.1.0,urn:liftoff:test";
    static final Path SNAKEOIL_KEY = Ovmf.SNAKEOIL_KEY;
    static final Path SNAKEOIL_CERT = Ovmf.SNAKEOIL_CERT;
    static final String SNAKEOIL_PASSPHRASE = Ovmf.SNAKEOIL_PASSPHRASE;

    private UkiFixtures() {}

    static Path stub() {
        assertTrue(Files.isRegularFile(UkiParts.DEFAULT_STUB), UkiParts.DEFAULT_STUB + " is missing: apt-get install systemd-boot-efi");
        return UkiParts.DEFAULT_STUB;
    }

    static Kernel kernel() throws IOException {
        return Kernel.newestInstalled();
    }

    /** {@code size} bytes that are the same every time (an odd size tests the padding). */
    static Path initrd(Path dir, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return Files.write(dir.resolve("initrd-" + size), bytes);
    }

    static UkiParts parts(Path stub, Path initrd) throws IOException {
        Kernel kernel = kernel();
        return new UkiParts(stub, kernel.image(), initrd, "console=ttyS0 root=/dev/vda rw",
                "PRETTY_NAME=\"Liftoff Test OS\"\nNAME=test\n".getBytes(StandardCharsets.UTF_8), kernel.version(),
                Optional.empty(), Optional.empty(), SBAT_LINE);
    }

    static SigningKey snakeoil() throws IOException {
        return SigningKey.load(SNAKEOIL_KEY, SNAKEOIL_CERT, SNAKEOIL_PASSPHRASE::toCharArray);
    }

    /** A host tool's exit status and output (stdout and stderr together). */
    record Run(int status, String output) {}

    static Run run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output);
    }

    /** Runs a tool that must succeed; its output. */
    static String check(String... command) throws IOException, InterruptedException {
        Run run = run(List.of(command));
        assertTrue(run.status() == 0, String.join(" ", command) + " failed (" + run.status() + "): " + run.output());
        return run.output();
    }
}
