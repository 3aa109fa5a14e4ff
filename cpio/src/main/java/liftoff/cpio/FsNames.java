package liftoff.cpio;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Converts between entry names (bytes) and paths without losing bytes that are not UTF-8. Java's
 * String API would turn such bytes into U+FFFD; a file: URI carries them percent-encoded, and the
 * JDK's Linux file system maps those escapes to and from the path's raw bytes.
 */
final class FsNames {
    private static final boolean UTF8_PATHS = "UTF-8".equals(System.getProperty("sun.jnu.encoding"));
    private static final Path ROOT = Path.of("/");

    private FsNames() {}

    /** The raw bytes of {@code path}, relative or absolute. */
    static byte[] bytes(Path path) {
        String s = path.toString();
        if (UTF8_PATHS && s.indexOf('\uFFFD') < 0) return s.getBytes(StandardCharsets.UTF_8);
        Path abs = path.toAbsolutePath();
        byte[] raw = uriBytes(abs);
        if (path.isAbsolute()) return raw;
        byte[] base = uriBytes(abs.getRoot().resolve(Path.of("").toAbsolutePath()));
        int skip = base.length == 1 ? 1 : base.length + 1;
        return java.util.Arrays.copyOfRange(raw, skip, raw.length);
    }

    /** A path with exactly these bytes, relative when {@code name} does not start with "/". */
    static Path path(byte[] name) {
        if (UTF8_PATHS) {
            String s = Names.strictUtf8(name);
            if (s != null) return Path.of(s);
        }
        boolean absolute = name.length > 0 && name[0] == '/';
        StringBuilder uri = new StringBuilder("file://").append(absolute ? "" : "/");
        for (byte b : name) {
            int c = b & 0xff;
            if (c == '/' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_') {
                uri.append((char) c);
            } else {
                uri.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        try {
            Path p = Path.of(new URI(uri.toString()));
            return absolute ? p : ROOT.relativize(p);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("unrepresentable name " + Names.printable(name), e);
        }
    }

    private static byte[] uriBytes(Path absolute) {
        String raw = absolute.toUri().getRawPath();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(raw, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        byte[] b = out.toByteArray();
        // toUri() marks directories with a trailing slash; the path itself has none.
        return b.length > 1 && b[b.length - 1] == '/' ? java.util.Arrays.copyOf(b, b.length - 1) : b;
    }
}
