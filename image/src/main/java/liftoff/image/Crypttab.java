package liftoff.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import liftoff.init.luks.LuksException;
import liftoff.init.luks.LuksHeader;
import liftoff.init.probe.DeviceReader;

/**
 * The dm-crypt ciphers of the host's encrypted devices, found as the init will find them: each
 * /etc/crypttab device's LUKS header names its data cipher ("serpent-xts-plain64"); KernelModules
 * adds the modules the kernel's crypto API needs for it. A device that cannot be read or is not
 * LUKS is a note.
 */
final class Crypttab {
    static final Path HOST = Path.of("/etc/crypttab");

    private Crypttab() {}

    static List<String> ciphers(Path crypttab, Consumer<String> notes) throws IOException {
        Set<String> ciphers = new LinkedHashSet<>();
        if (!Files.isRegularFile(crypttab)) return List.of();
        for (String line : Files.readAllLines(crypttab)) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 2 || fields[0].startsWith("#")) continue;
            Path device = device(fields[1]);
            try (DeviceReader reader = DeviceReader.open(device)) {
                String cipher = LuksHeader.read(reader).segment().cipher();
                notes.accept(crypttab + ": " + fields[0] + " on " + device + " uses " + cipher);
                ciphers.add(cipher);
            } catch (IOException | LuksException e) {
                notes.accept(crypttab + ": " + fields[0] + ": " + device + " skipped (" + e.getMessage() + ")");
            }
        }
        return List.copyOf(ciphers);
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
}
