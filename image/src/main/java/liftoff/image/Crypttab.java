package liftoff.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import liftoff.init.luks.LuksException;
import liftoff.init.luks.LuksHeader;
import liftoff.init.probe.DeviceReader;

/**
 * The cipher drivers the host's encrypted devices need, found as the init will find them: each
 * /etc/crypttab device's LUKS header names its data cipher ("serpent-xts-plain64"), and the
 * drivers for it are the algorithm's (serpent_generic, the AES-NI driver for aes), the mode's
 * (xts over ecb, cbc) and the IV's (essiv). A device that cannot be read or is not LUKS is a note.
 */
final class Crypttab {
    static final Path HOST = Path.of("/etc/crypttab");

    private Crypttab() {}

    static List<String> cipherModules(Path crypttab, Consumer<String> notes) throws IOException {
        Set<String> modules = new LinkedHashSet<>();
        if (!Files.isRegularFile(crypttab)) return List.of();
        for (String line : Files.readAllLines(crypttab)) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 2 || fields[0].startsWith("#")) continue;
            Path device = device(fields[1]);
            try (DeviceReader reader = DeviceReader.open(device)) {
                String cipher = LuksHeader.read(reader).segment().cipher();
                List<String> drivers = drivers(cipher);
                notes.accept(crypttab + ": " + fields[0] + " on " + device + " uses " + cipher + ": " + String.join(", ", drivers));
                modules.addAll(drivers);
            } catch (IOException | LuksException e) {
                notes.accept(crypttab + ": " + fields[0] + ": " + device + " skipped (" + e.getMessage() + ")");
            }
        }
        return List.copyOf(modules);
    }

    /** crypttab's device forms: UUID=, PARTUUID=, LABEL=, PARTLABEL= as the udev links, else a path. */
    static Path device(String spec) {
        for (String tag : new String[] {"UUID", "PARTUUID", "LABEL", "PARTLABEL"}) {
            if (spec.startsWith(tag + "=")) {
                return Path.of("/dev/disk/by-" + tag.toLowerCase(java.util.Locale.ROOT), spec.substring(tag.length() + 1));
            }
        }
        return Path.of(spec);
    }

    /** "serpent-xts-plain64" → serpent_generic, serpent, ecb, xts. Names the kernel lacks are skipped later. */
    static List<String> drivers(String cipher) {
        List<String> drivers = new ArrayList<>();
        String[] parts = cipher.split("[-:]");
        String algorithm = parts[0];
        if (algorithm.equals("aes")) {
            drivers.add("aesni_intel");
        } else {
            drivers.add(algorithm + "_generic");
            drivers.add(algorithm);
        }
        for (int i = 1; i < parts.length; i++) {
            switch (parts[i]) {
                case "xts" -> drivers.addAll(List.of("ecb", "xts"));
                case "cbc", "essiv", "lrw", "ctr" -> drivers.add(parts[i]);
                default -> { }
            }
        }
        return drivers;
    }
}
