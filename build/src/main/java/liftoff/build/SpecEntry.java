package liftoff.build;

import java.nio.file.Path;

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

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
