package liftoff.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One line of a gen_init_cpio spec (the kernel's usr/gen_init_cpio input, which `liftoff cpio create
 * --spec` reads): everything the image contains, always owned by 0:0.
 */
public sealed interface SpecEntry {
    /** The absolute path in the image. */
    String name();

    /** The spec line, without the newline. */
    String line();

    record Dir(String name, int mode) implements SpecEntry {
        public String line() {
            return "dir " + name + " " + octal(mode) + " 0 0";
        }
    }

    /** A regular file whose bytes are read from {@code source} on the build host. */
    record File(String name, Path source, int mode) implements SpecEntry {
        public String line() {
            return "file " + name + " " + source + " " + octal(mode) + " 0 0";
        }
    }

    record Symlink(String name, String target) implements SpecEntry {
        public String line() {
            return "slink " + name + " " + target + " 0777 0 0";
        }
    }

    /** A device node: {@code type} 'c' (character) or 'b' (block). */
    record Node(String name, int mode, char type, int major, int minor) implements SpecEntry {
        public String line() {
            return "nod " + name + " " + octal(mode) + " 0 0 " + type + " " + major + " " + minor;
        }
    }

    /** The spec text for {@code entries}: one line each, in the given order, each ending in a newline. */
    static String render(List<SpecEntry> entries) {
        StringBuilder spec = new StringBuilder();
        entries.forEach(e -> spec.append(e.line()).append('\n'));
        return spec.toString();
    }

    /** gen_init_cpio splits lines on white space: a name, source or target containing any cannot be written. */
    static void requireExpressible(String text, String what) throws IOException {
        if (text.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
            throw new IOException(what + " '" + text + "' contains white space, which the gen_init_cpio format cannot express");
        }
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
