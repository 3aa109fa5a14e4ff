package liftoff.init.luks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader for the LUKS2 JSON metadata, which comes from the disk and so is hostile input:
 * RFC 8259 grammar only (no comments, no trailing commas, no duplicate keys), integers only (LUKS2
 * has no fractions), a bounded nesting depth and a bounded number of values. Objects become
 * {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@code Long}; true, false and
 * null become Boolean and {@link #NULL}. Every failure is a {@link LuksException} naming the offset.
 */
final class Json {
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    static final int MAX_DEPTH = 16;
    private static final int MAX_VALUES = 100_000;

    private final String text;
    private int at;
    private int values;

    private Json(String text) {
        this.text = text;
    }

    /** Parses one JSON object; the text may be followed by NULs only (the padding of the JSON area). */
    static Map<String, Object> parseObject(String text) throws LuksException {
        Json json = new Json(text);
        json.skipSpace();
        if (json.peek() != '{') throw json.error("the metadata is not a JSON object");
        Object value = json.value(0);
        json.skipSpace();
        while (json.at < text.length() && text.charAt(json.at) == '\0') json.at++;
        if (json.at != text.length()) throw json.error("text after the JSON object");
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value;
        return object;
    }

    private Object value(int depth) throws LuksException {
        if (depth >= MAX_DEPTH) throw error("JSON nested deeper than " + MAX_DEPTH);
        if (++values > MAX_VALUES) throw error("more than " + MAX_VALUES + " JSON values");
        skipSpace();
        char c = peek();
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected " + describe(c));
            }
        };
    }

    private Map<String, Object> object(int depth) throws LuksException {
        at++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            at++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipSpace();
            if (peek() != '"') throw error("expected a member name");
            String key = string();
            skipSpace();
            expect(':');
            if (map.put(key, value(depth + 1)) != null) throw error("duplicate member \"" + key + "\"");
            skipSpace();
            if (peek() == '}') {
                at++;
                return Collections.unmodifiableMap(map);
            }
            expect(',');
        }
    }

    private List<Object> array(int depth) throws LuksException {
        at++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            at++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            list.add(value(depth + 1));
            skipSpace();
            if (peek() == ']') {
                at++;
                return Collections.unmodifiableList(list);
            }
            expect(',');
        }
    }

    private String string() throws LuksException {
        at++;
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = peek();
            at++;
            if (c == '"') return out.toString();
            if (c < 0x20) throw error("control character in a string");
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = peek();
            at++;
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) throw error("truncated \\u escape");
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(text.charAt(at++), 16);
                        if (digit < 0) throw error("bad \\u escape");
                        code = code * 16 + digit;
                    }
                    out.append((char) code);
                }
                default -> throw error("bad escape \\" + describe(e));
            }
        }
    }

    private Long number() throws LuksException {
        int start = at;
        if (peek() == '-') at++;
        if (!Character.isDigit(peek())) throw error("bad number");
        if (peek() == '0' && at + 1 < text.length() && Character.isDigit(text.charAt(at + 1))) {
            throw error("number with a leading zero");
        }
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') at++;
        if (at < text.length() && ".eE".indexOf(text.charAt(at)) >= 0) throw error("fractions are not allowed here");
        try {
            return Long.parseLong(text, start, at, 10);
        } catch (NumberFormatException e) {
            throw error("number out of range");
        }
    }

    private Object literal(String word, Object value) throws LuksException {
        if (!text.startsWith(word, at)) throw error("unexpected " + describe(peek()));
        at += word.length();
        return value;
    }

    private void expect(char c) throws LuksException {
        if (peek() != c) throw error("expected '" + c + "', found " + describe(peek()));
        at++;
    }

    private char peek() throws LuksException {
        if (at >= text.length()) throw error("the JSON text ends early");
        return text.charAt(at);
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            at++;
        }
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("character 0x%02x", (int) c);
    }

    private LuksException error(String what) {
        return new LuksException("bad JSON metadata at offset " + at + ": " + what);
    }
}
