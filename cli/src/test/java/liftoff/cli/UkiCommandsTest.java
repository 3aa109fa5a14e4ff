package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import liftoff.image.qemu.Kernel;
import liftoff.image.qemu.Ovmf;
import liftoff.image.uki.OsRelease;
import liftoff.image.uki.PeSignature;
import liftoff.image.uki.SigningKey;
import liftoff.image.uki.UkiParts;
import liftoff.image.uki.UkiWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code liftoff build --uki} and {@code liftoff inspect} as a user runs them. */
class UkiCommandsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int liftoff(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void optionsThatNeedUkiOrEachOtherAreRefusedBeforeAnythingIsBuilt() {
        Path output = dir.resolve("out.efi");
        assertEquals(2, liftoff("build", "-o", output.toString(), "--cmdline", "quiet", "--dtb", "board.dtb"));
        assertEquals("liftoff build: --cmdline needs --uki\nliftoff build: --dtb needs --uki\n", err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, liftoff("build", "--uki", "-o", output.toString(), "--stub", "/nonexistent/stub.efi",
                "--sign", Ovmf.SNAKEOIL_KEY.toString()));
        assertEquals("liftoff build: --stub /nonexistent/stub.efi: no such file\nliftoff build: --sign and --cert go together\n",
                err.toString());
        assertFalse(Files.exists(output));
    }

    @Test
    void aKernelOfAnotherReleaseThanTheImagesIsRefusedBeforeTheBuild() throws Exception {
        Kernel cloud = Kernel.newestInstalled();
        Kernel generic = Kernel.newestInstalled(Kernel.Flavour.GENERIC);
        Path output = dir.resolve("out.efi");
        assertEquals(1, liftoff("build", "--uki", "-o", output.toString(), "--kernel", cloud.image().toString(),
                "--kernel-version", generic.version()));
        assertEquals("liftoff build: --kernel " + cloud.image() + " is " + cloud.version() + ", but the image is to be built for "
                + generic.version() + " (--kernel-version on the command line)\n", err.toString());
        assertFalse(Files.exists(output));
    }

    @Test
    void inspectShowsSectionsCommandLineReleaseOsAndSigner() throws Exception {
        Kernel kernel = Kernel.newestInstalled();
        Path initrd = Files.write(dir.resolve("initrd"), new byte[] {0x30, 0x37, 0x30, 0x37, 0x30, 0x31});
        Path uki = dir.resolve("uki.efi");
        UkiWriter.write(new UkiParts(UkiParts.DEFAULT_STUB, kernel.image(), initrd, "root=LABEL=root quiet",
                "NAME=Test\nPRETTY_NAME='Test OS 1'\n".getBytes(StandardCharsets.UTF_8), kernel.version(), Optional.empty(),
                Optional.empty(), "liftoff,1,liftoff,liftoff,test,urn:liftoff"), uki);
        PeSignature.sign(uki, SigningKey.load(Ovmf.SNAKEOIL_KEY, Ovmf.SNAKEOIL_CERT, Ovmf.SNAKEOIL_PASSPHRASE::toCharArray));

        assertEquals(0, liftoff("inspect", uki.toString()), err.toString());
        String report = out.toString();
        assertTrue(report.startsWith(uki + ": PE32+ x86-64, 13 sections, " + Files.size(uki) + " bytes\n"
                + "name      address     size        raw size    file offset\n.text     0x"), report);
        for (String name : List.of(".osrel", ".cmdline", ".uname", ".initrd", ".linux", ".sbat")) {
            assertTrue(report.matches("(?s).*\n\\" + name + " +0x[0-9a-f]{8}  0x[0-9a-f]{8}  0x[0-9a-f]{8}  0x[0-9a-f]{8}\n.*"), name + "\n" + report);
        }
        assertTrue(report.endsWith("cmdline:   root=LABEL=root quiet\n"
                + "uname:     " + kernel.version() + "\n"
                + "os:        Test OS 1\n"
                + "signature: C=US,ST=Colorado,L=Fort Collins,O=SnakeOil (the image's SHA-256 Authenticode hash matches; "
                + "the signature verifies with its certificate)\n"), report);
    }

    @Test
    void inspectNamesWhatIsWrongWithItsArgument() throws Exception {
        assertEquals(2, liftoff("inspect", dir.resolve("missing.efi").toString()));
        assertEquals("liftoff inspect: " + dir.resolve("missing.efi") + ": no such file\n", err.toString());

        err.getBuffer().setLength(0);
        Path text = Files.writeString(dir.resolve("text"), "x".repeat(200));
        assertEquals(1, liftoff("inspect", text.toString()));
        assertEquals("liftoff inspect: " + text + ": no MZ signature at the start: not a PE/COFF image\n", err.toString());
    }

    /**
     * The whole command twice in fresh JVMs with the same inputs and SOURCE_DATE_EPOCH: the same
     * bytes, a signature sbverify accepts, and what inspect reads back.
     */
    @Test
    void buildUkiIsReproducibleAndSigned() throws Exception {
        Kernel kernel = Kernel.newestInstalled();
        Path key = dir.resolve("snakeoil.key");   // decrypted: the command asks for passphrases on a terminal only
        HostTools.run(dir, "openssl", "pkey", "-in", Ovmf.SNAKEOIL_KEY.toString(), "-passin", "pass:" + Ovmf.SNAKEOIL_PASSPHRASE,
                "-out", key.toString());
        Path first = dir.resolve("first.efi");
        Path second = dir.resolve("second.efi");
        for (Path output : List.of(first, second)) {
            String log = build("--uki", "-o", output.toString(), "--kernel-version", kernel.version(), "--compress", "zstd",
                    "--cmdline", "console=ttyS0 root=/dev/vda", "--sign", key.toString(), "--cert", Ovmf.SNAKEOIL_CERT.toString());
            assertTrue(log.contains(String.format("%nuki        %10d bytes (signed by C=US,ST=Colorado,L=Fort Collins,O=SnakeOil)%n",
                    Files.size(output))), log);
        }
        assertEquals(-1, Files.mismatch(first, second), "two builds of the same inputs differ");
        assertFalse(Files.exists(dir.resolve("first.efi.initrd")), "the intermediate initramfs is removed");
        HostTools.run(dir, "sbverify", "--cert", Ovmf.SNAKEOIL_CERT.toString(), first.toString());

        assertEquals(0, liftoff("inspect", first.toString()), err.toString());
        String report = out.toString();
        String os = OsRelease.prettyName(Files.readString(OsRelease.hostFile(Path.of("/")))).orElseThrow();
        assertTrue(report.contains("\ncmdline:   console=ttyS0 root=/dev/vda\nuname:     " + kernel.version() + "\nos:        " + os + "\n"), report);
        assertTrue(report.contains("hash matches; the signature verifies"), report);
    }

    /** Runs {@code liftoff build ARGS} in a new JVM with SOURCE_DATE_EPOCH set; its output (stdout and stderr). */
    private static String build(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "build"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SOURCE_DATE_EPOCH", "1700000000");
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
