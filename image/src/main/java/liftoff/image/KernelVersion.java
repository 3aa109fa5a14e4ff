package liftoff.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which kernel an image is built for when the configuration does not say: the running kernel if its
 * modules are installed (the usual "rebuild for this machine" case), otherwise the newest kernel under
 * the modules directory (a container or chroot building for the kernel it just installed).
 *
 * @param version the kernel release, e.g. "6.1.0-56-cloud-amd64"
 * @param reason  one sentence saying why this one, for the build log
 */
public record KernelVersion(String version, String reason) {

    /** Chooses among the kernels in {@code modulesBase} (normally /lib/modules). */
    public static KernelVersion choose(Path modulesBase, Path osrelease) throws IOException {
        Optional<String> running = Files.isReadable(osrelease) ? Optional.of(Files.readString(osrelease).strip())
                : Optional.empty();
        if (running.isPresent() && Files.isDirectory(modulesBase.resolve(running.get()))) {
            return new KernelVersion(running.get(), "the running kernel (" + osrelease + ")");
        }
        List<String> installed = installed(modulesBase);
        if (installed.isEmpty()) {
            throw new IOException(modulesBase + ": no kernel with a modules.dep (run depmod?)");
        }
        return new KernelVersion(installed.getLast(), "the newest kernel with a modules.dep under " + modulesBase
                + running.map(r -> " (the running kernel " + r + " has no modules there)").orElse(""));
    }

    /**
     * This kernel, which the configuration or the command line named, when its modules are under
     * {@code modulesBase}; otherwise an error saying so, where the version came from, and which kernels are there.
     */
    public KernelVersion installedUnder(Path modulesBase) throws IOException {
        Path dir = modulesBase.resolve(version);
        if (!version.contains("/") && Files.isDirectory(dir)) {
            return this;
        }
        List<String> installed = Files.isDirectory(modulesBase) ? installed(modulesBase) : List.of();
        throw new IOException("kernel " + version + " (" + reason + "): not installed, there is no " + dir
                + "; installed: " + (installed.isEmpty() ? "none" : String.join(", ", installed)));
    }

    /** The kernels with a modules.dep under {@code modulesBase}, oldest first. */
    private static List<String> installed(Path modulesBase) throws IOException {
        try (Stream<Path> dirs = Files.list(modulesBase)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("modules.dep")))
                    .map(d -> d.getFileName().toString())
                    .sorted(Comparator.comparing(KernelVersion::sortKey).thenComparing(Comparator.naturalOrder()))
                    .toList();
        } catch (NoSuchFileException e) {
            throw new IOException(modulesBase + ": no kernel modules directory", e);
        }
    }

    /** The defaults: /lib/modules and /proc/sys/kernel/osrelease. */
    public static KernelVersion choose() throws IOException {
        return choose(Path.of("/lib/modules"), Path.of("/proc/sys/kernel/osrelease"));
    }

    private static final Pattern DIGITS_OR_NOT = Pattern.compile("\\d+|\\D+");

    /** Numeric-aware key so that 6.10 sorts after 6.9: every digit run is zero-padded to 10 places. */
    private static String sortKey(String version) {
        StringBuilder key = new StringBuilder();
        Matcher matcher = DIGITS_OR_NOT.matcher(version);
        while (matcher.find()) {
            String part = matcher.group();
            key.append(Character.isDigit(part.charAt(0)) && part.length() <= 10 ? "0".repeat(10 - part.length()) + part : part);
        }
        return key.toString();
    }
}
