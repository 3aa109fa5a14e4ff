package liftoff.image.uki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command line a UKI embeds when none is given, found as systemd's kernel-install finds the one
 * for a new boot entry: {@code /etc/kernel/cmdline}, else {@code /usr/lib/kernel/cmdline}, else the
 * running kernel's {@code /proc/cmdline} without the words a boot loader adds for itself
 * ({@code BOOT_IMAGE=} and {@code initrd=}, which would name files of the old boot).
 */
public final class KernelCmdline {
    private KernelCmdline() {}

    /** The host's: the files above under {@code root} (normally "/"). */
    public static String forHost(Path root) throws IOException {
        for (String file : List.of("etc/kernel/cmdline", "usr/lib/kernel/cmdline")) {
            Path path = root.resolve(file);
            if (Files.isRegularFile(path)) return words(Files.readString(path));
        }
        Path proc = root.resolve("proc/cmdline");
        if (!Files.isReadable(proc)) throw new IOException("no /etc/kernel/cmdline, /usr/lib/kernel/cmdline or /proc/cmdline to take the command line from");
        return withoutLoaderWords(Files.readString(proc));
    }

    /** {@code cmdline} without {@code BOOT_IMAGE=...} and {@code initrd=...}, its words separated by single spaces. */
    static String withoutLoaderWords(String cmdline) {
        return Arrays.stream(cmdline.strip().split("\\s+"))
                .filter(w -> !w.isEmpty() && !w.startsWith("BOOT_IMAGE=") && !w.startsWith("initrd="))
                .collect(Collectors.joining(" "));
    }

    /** The file's words on one line (it may spread them over several). */
    private static String words(String text) {
        return String.join(" ", text.strip().split("\\s+"));
    }
}
