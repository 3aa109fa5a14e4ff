package liftoff.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import liftoff.image.BuildConfig;
import liftoff.image.uki.BzImage;
import liftoff.image.uki.KernelCmdline;
import liftoff.image.uki.OsRelease;
import liftoff.image.uki.PeSignature;
import liftoff.image.uki.SigningKey;
import liftoff.image.uki.UkiParts;
import liftoff.image.uki.UkiWriter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * {@code liftoff build --uki}: the initramfs just built goes into a unified kernel image with the
 * kernel and command line, optionally signed for Secure Boot (docs/uki.md).
 */
final class UkiOptions {
    /** The SBAT line of the initramfs liftoff puts into a UKI; shim compares component names and generations only. */
    private static final String SBAT_COMPONENT = "liftoff,1,liftoff,liftoff,%s,urn:liftoff";

    @Option(names = "--uki", description = "write a unified kernel image (a UEFI executable: systemd-stub, the kernel, "
            + "this initramfs, the command line) to the output instead of the bare initramfs")
    boolean uki;

    @Option(names = "--kernel", paramLabel = "FILE", description = "with --uki: the kernel (default /boot/vmlinuz-KVER for the image's kernel); "
            + "the image is built for its release")
    Path kernel;

    @Option(names = "--cmdline", paramLabel = "ARGS", description = "with --uki: the command line to embed (default "
            + "/etc/kernel/cmdline, else /usr/lib/kernel/cmdline, else /proc/cmdline without BOOT_IMAGE= and initrd=)")
    String cmdline;

    @Option(names = "--stub", paramLabel = "FILE", description = "with --uki: the UEFI stub (default ${DEFAULT-VALUE})",
            defaultValue = "/usr/lib/systemd/boot/efi/linuxx64.efi.stub")
    Path stub;

    @Option(names = "--sign", paramLabel = "KEY", description = "with --uki: sign for Secure Boot with this PEM private key (and --cert)")
    Path signingKey;

    @Option(names = "--cert", paramLabel = "CERT", description = "with --sign: the key's X.509 certificate, PEM or DER")
    Path certificate;

    @Option(names = "--splash", paramLabel = "BMP", description = "with --uki: a BMP image the stub shows before the kernel starts")
    Path splash;

    @Option(names = "--dtb", paramLabel = "FILE", description = "with --uki: a compiled device tree for the kernel")
    Path devicetree;

    /** What is wrong with the options, before the image is built: one message per problem. */
    List<String> problems(ParseResult parsed) {
        if (!uki) {
            return Stream.of("--kernel", "--cmdline", "--stub", "--sign", "--cert", "--splash", "--dtb")
                    .filter(parsed::hasMatchedOption).map(option -> option + " needs --uki").toList();
        }
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(stub)) {
            problems.add("--stub " + stub + ": no such file" + (stub.equals(UkiParts.DEFAULT_STUB)
                    ? " (install it: apt-get install " + UkiParts.STUB_PACKAGE + ")" : ""));
        }
        if ((signingKey == null) != (certificate == null)) problems.add("--sign and --cert go together");
        requireFile("--kernel", kernel, problems);
        requireFile("--sign", signingKey, problems);
        requireFile("--cert", certificate, problems);
        requireFile("--splash", splash, problems);
        requireFile("--dtb", devicetree, problems);
        return problems;
    }

    private static void requireFile(String option, Path file, List<String> problems) {
        if (file != null && !Files.isRegularFile(file)) problems.add(option + " " + file + ": no such file");
    }

    /** The signing key, loaded before the long build so that a bad key or passphrase fails at once. */
    Optional<SigningKey> loadSigningKey() throws IOException {
        if (signingKey == null) return Optional.empty();
        return Optional.of(SigningKey.load(signingKey, certificate, () -> {
            Console console = System.console();
            return console != null && console.isTerminal() ? console.readPassword("Passphrase for %s: ", signingKey) : null;
        }));
    }

    /**
     * The configuration with the image built for {@code --kernel}'s release: the one its setup header
     * names, unless the configuration names one, which must then be the same (the kernel would not
     * find its modules otherwise).
     */
    BuildConfig forKernel(BuildConfig config) throws IOException {
        if (kernel == null) return config;
        Optional<String> release = BzImage.release(kernel);
        if (release.isEmpty()) return config;
        if (config.kernelVersion().isEmpty()) return config.withKernelVersion(release.get(), "the release of --kernel " + kernel);
        if (!config.kernelVersion().get().version().equals(release.get())) {
            throw new IOException("--kernel " + kernel + " is " + release.get() + ", but the image is to be built for "
                    + config.kernelVersion().get().version() + " (" + config.kernelVersion().get().reason() + ")");
        }
        return config;
    }

    /** Writes the UKI around {@code initrd}, built for {@code kernelVersion}, to {@code output}; signed when a key is given. */
    void write(Path initrd, String kernelVersion, Optional<SigningKey> key, String liftoffVersion, Path output,
            Consumer<String> progress) throws IOException {
        Path kernelImage = kernel != null ? kernel : Path.of("/boot/vmlinuz-" + kernelVersion);
        if (!Files.isRegularFile(kernelImage)) {
            throw new IOException("--kernel: " + kernelImage + " not found (the image's kernel is " + kernelVersion + "; give --kernel FILE)");
        }
        String commandLine = cmdline != null ? cmdline : KernelCmdline.forHost(Path.of("/"));
        Path osRelease = OsRelease.hostFile(Path.of("/"));
        progress.accept("uki: " + stub + " + " + kernelImage + " + the initramfs, command line \"" + commandLine + "\"");
        UkiParts parts = new UkiParts(stub, kernelImage, initrd, commandLine, Files.readAllBytes(osRelease), kernelVersion,
                Optional.ofNullable(splash), Optional.ofNullable(devicetree), SBAT_COMPONENT.formatted(liftoffVersion));

        Path partial = output.resolveSibling(output.getFileName() + ".partial");
        try {
            UkiWriter.write(parts, partial);
            if (key.isPresent()) {
                progress.accept("uki: signing with " + signingKey + " (" + key.get().subject() + ")");
                PeSignature.sign(partial, key.get());
            }
            Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
