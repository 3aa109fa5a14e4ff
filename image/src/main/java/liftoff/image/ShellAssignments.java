package liftoff.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code KEY=value} assignments in the shell syntax of mkinitcpio.conf and initramfs-tools'
 * initramfs.conf (and of os-release, whose format is a subset), without running a shell: {@code KEY=word}, {@code KEY="double quoted"},
 * {@code KEY='single quoted'}, {@code KEY=(array "of words")} (arrays may span lines), an optional
 * leading {@code export}, backslash escapes, and '#' comments. Anything that would need a shell —
 * {@code $VAR}, {@code `command`}, {@code $(...)}, other statements — is refused with the file and
 * line, because silently taking it literally would build a different image than the user meant.
 */
public final class ShellAssignments {
    /** A value as written: the words of an array, or one word for a scalar. */
    public record Value(List<String> words, boolean array, int line) {}

    private final String text;
    private final String origin;
    private int at;
    private int line = 1;

    private ShellAssignments(String text, String origin) {
        this.text = text;
        this.origin = origin;
    }

    /** The assignments in file order; a key assigned twice keeps the last value, as in the shell. */
    public static Map<String, Value> parse(String text, String origin) throws IOException {
        return new ShellAssignments(text, origin).assignments();
    }

    private Map<String, Value> assignments() throws IOException {
        Map<String, Value> result = new LinkedHashMap<>();
        while (true) {
            skipBlanksCommentsAndNewlines();
            if (at >= text.length()) {
                return result;
            }
            String key = name();
            if (key.equals("export") && peek() == ' ') {
                skipBlanks();
                key = name();
            }
            if (key.isEmpty() || peek() != '=') {
                throw error("expected KEY=value");
            }
            at++;
            int assignedAt = line;
            Value value;
            if (peek() == '(') {
                at++;
                value = new Value(arrayWords(), true, assignedAt);
            } else {
                String word = word();
                value = new Value(word == null ? List.of("") : List.of(word), false, assignedAt);
            }
            skipBlanks();
            if (peek() == '#') {
                skipComment();
            }
            if (at < text.length() && peek() != '\n') {
                throw error("unexpected '" + peek() + "' after the value of " + key + " (quote values with spaces)");
            }
            result.remove(key);
            result.put(key, value);
        }
    }

    private List<String> arrayWords() throws IOException {
        List<String> words = new ArrayList<>();
        int opened = line;
        while (true) {
            skipBlanksCommentsAndNewlines();
            if (at >= text.length()) {
                line = opened;
                throw error("unterminated array: missing ')'");
            }
            if (peek() == ')') {
                at++;
                return words;
            }
            words.add(word());
        }
    }

    /** One shell word (unquoted, quoted and escaped parts concatenated), or null when none starts here. */
    private String word() throws IOException {
        StringBuilder word = new StringBuilder();
        boolean any = false;
        while (at < text.length()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ')' || c == '#' && !any) {
                break;
            }
            any = true;
            at++;
            switch (c) {
                case '\'' -> {
                    int end = text.indexOf('\'', at);
                    if (end < 0) {
                        throw error("unterminated single quote");
                    }
                    countLines(at, end);
                    word.append(text, at, end);
                    at = end + 1;
                }
                case '"' -> doubleQuoted(word);
                case '\\' -> {
                    if (at >= text.length()) {
                        throw error("backslash at the end of the file");
                    }
                    char escaped = text.charAt(at++);
                    if (escaped == '\n') {
                        line++; // a line continuation joins nothing into the word
                    } else {
                        word.append(escaped);
                    }
                }
                case '$', '`' -> throw error("'" + c + "': variables and command substitution are not supported (this is not a shell)");
                case '(', ';', '&', '|', '<', '>' -> throw error("'" + c + "': only KEY=value assignments are supported");
                default -> word.append(c);
            }
        }
        return any ? word.toString() : null;
    }

    private void doubleQuoted(StringBuilder word) throws IOException {
        int opened = line;
        while (true) {
            if (at >= text.length()) {
                line = opened; // point at the quote, not at the end of the file
                throw error("unterminated double quote");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return;
            } else if (c == '\\' && at < text.length() && "\"\\$`\n".indexOf(text.charAt(at)) >= 0) {
                char escaped = text.charAt(at++);
                if (escaped == '\n') {
                    line++;
                } else {
                    word.append(escaped);
                }
            } else if (c == '$' || c == '`') {
                throw error("'" + c + "': variables and command substitution are not supported (this is not a shell)");
            } else {
                if (c == '\n') {
                    line++;
                }
                word.append(c);
            }
        }
    }

    private String name() {
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
            at++;
        }
        return text.substring(start, at);
    }

    private void skipBlanksCommentsAndNewlines() {
        while (at < text.length()) {
            char c = peek();
            if (c == '\n') {
                line++;
                at++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                at++;
            } else if (c == '#') {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipBlanks() {
        while (at < text.length() && (peek() == ' ' || peek() == '\t' || peek() == '\r')) {
            at++;
        }
    }

    private void skipComment() {
        while (at < text.length() && peek() != '\n') {
            at++;
        }
    }

    private void countLines(int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private IOException error(String problem) {
        return new IOException(origin + ":" + line + ": " + problem);
    }
}
