package liftoff.image.qemu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guest kernel installed the Debian way: {@code /boot/vmlinuz-VERSION} with its modules under
 * {@code /lib/modules/VERSION}.
 */
public record Kernel(Path image, String version) {
    private static final String PREFIX = "vmlinuz-";

    /**
     * Debian's two x86-64 kernels. The cloud one boots fastest under QEMU and is the default; it
     * lacks drivers for real hardware (AHCI, USB storage, MMC), which the generic one has.
     */
    public enum Flavour {
        CLOUD("linux-image-cloud-amd64"),
        GENERIC("linux-image-amd64");

        private final String debianPackage;

        Flavour(String debianPackage) {
            this.debianPackage = debianPackage;
        }

        boolean matches(String version) {
            boolean cloud = version.endsWith("-cloud-amd64");
            return this == CLOUD ? cloud : version.endsWith("-amd64") && !cloud;
        }
    }

    /** The newest cloud kernel in /boot; the error names the package to install when there is none. */
    public static Kernel newestInstalled() throws IOException {
        return newestInstalled(Flavour.CLOUD);
    }

    public static Kernel newestInstalled(Flavour flavour) throws IOException {
        return newestIn(Path.of("/boot"), flavour);
    }

    static Kernel newestIn(Path bootDir, Flavour flavour) throws IOException {
        Optional<Kernel> newest = Optional.empty();
        if (Files.isDirectory(bootDir)) {
            try (DirectoryStream<Path> images = Files.newDirectoryStream(bootDir, PREFIX + "*")) {
                for (Path image : images) {
                    Kernel kernel = new Kernel(image, image.getFileName().toString().substring(PREFIX.length()));
                    if (!flavour.matches(kernel.version)) continue;
                    if (newest.isEmpty() || BY_VERSION.compare(kernel, newest.get()) > 0) newest = Optional.of(kernel);
                }
            }
        }
        return newest.orElseThrow(() -> new IOException("no " + flavour.name().toLowerCase(java.util.Locale.ROOT)
                + " guest kernel (" + bootDir.resolve(PREFIX + "*") + "): install one with apt-get install " + flavour.debianPackage));
    }

    /** Where the kernel's modules and modules.dep live. */
    public Path modulesDir() {
        return Path.of("/lib/modules", version);
    }

    /** Orders versions by their numbers, so 6.1.0-56 is newer than 6.1.0-9 (plain text order says otherwise). */
    private static final Comparator<Kernel> BY_VERSION = (a, b) -> compareVersions(a.version, b.version);

    private static final Pattern NUMBER_OR_TEXT = Pattern.compile("\\d+|\\D+");

    private static int compareVersions(String a, String b) {
        Matcher left = NUMBER_OR_TEXT.matcher(a);
        Matcher right = NUMBER_OR_TEXT.matcher(b);
        while (left.find() && right.find()) {
            String x = left.group();
            String y = right.group();
            boolean numbers = Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0));
            int order = numbers ? Long.compare(Long.parseLong(x), Long.parseLong(y)) : x.compareTo(y);
            if (order != 0) return order;
        }
        return Integer.compare(a.length(), b.length());
    }
}
