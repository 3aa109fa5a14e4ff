package liftoff.cpio;

import java.util.OptionalLong;

/**
 * SOURCE_DATE_EPOCH, the reproducible-builds convention: seconds since 1970 that no mtime in a
 * reproducible archive may exceed. Read in one place, so every command agrees on what a value means.
 */
public final class SourceDateEpoch {
    public static final String VARIABLE = "SOURCE_DATE_EPOCH";

    private SourceDateEpoch() {}

    /** The environment's value; empty when it is unset or blank. */
    public static OptionalLong fromEnvironment() {
        return parse(System.getenv(VARIABLE));
    }

    /** Empty for null or blank; a value that is not a number of seconds is an IllegalArgumentException. */
    static OptionalLong parse(String value) {
        if (value == null || value.isBlank()) return OptionalLong.empty();
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds >= 0) return OptionalLong.of(seconds);
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(VARIABLE + "=" + value + " is not a number of seconds since 1970");
    }
}
