package liftoff.sys;

import java.nio.charset.StandardCharsets;

/** Renders a call the way strace shows it: {@code mount("/dev/vda", "/newroot", "ext4")}. */
final class Call {
    private Call() {}

    /**
     * Strings are quoted, byte arrays are file names (quoted, non-UTF-8 bytes escaped), null is
     * NULL, a {@link Flags} value prints symbolically, anything else with toString.
     */
    static String render(String function, Object... args) {
        StringBuilder out = new StringBuilder(function).append('(');
        for (int i = 0; i < args.length; i++) {
            if (i > 0) out.append(", ");
            Object a = args[i];
            if (a == null) out.append("NULL");
            else if (a instanceof String s) quote(out, s.getBytes(StandardCharsets.UTF_8));
            else if (a instanceof byte[] b) quote(out, b);
            else out.append(a);
        }
        return out.append(')').toString();
    }

    /** A string as render shows it: in double quotes, escaped. */
    static String quoted(String s) {
        StringBuilder out = new StringBuilder();
        quote(out, s.getBytes(StandardCharsets.UTF_8));
        return out.toString();
    }

    /** An argument printed as it is, unquoted: a symbolic constant or a struct shown as {@code {name="root"}}. */
    static Object verbatim(String text) {
        return new Object() {
            @Override
            public String toString() {
                return text;
            }
        };
    }

    private static void quote(StringBuilder out, byte[] bytes) {
        out.append('"');
        String s = new String(bytes, StandardCharsets.UTF_8);
        boolean clean = java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), bytes);
        if (clean) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') out.append('\\').append(c);
                else if (c < 0x20) out.append(String.format("\\x%02x", (int) c));
                else out.append(c);
            }
        } else {
            for (byte b : bytes) {
                int v = b & 0xff;
                if (v < 0x20 || v >= 0x7f || v == '"' || v == '\\') out.append(String.format("\\x%02x", v));
                else out.append((char) v);
            }
        }
        out.append('"');
    }
}
