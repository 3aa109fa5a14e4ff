package liftoff.init;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The init's log: one record per line to /dev/kmsg as "liftoff: ...", so every step carries the
 * kernel's timestamp and lands in dmesg and the journal. The kernel itself echoes records to the
 * console according to the console log level, which is how `quiet` silences the info lines and
 * still shows errors. Before /dev exists, and if kmsg cannot be opened, lines go to the console.
 */
public final class Log {
    private static final Path DEVKMSG_SYSCTL = Path.of("/proc/sys/kernel/printk_devkmsg");
    private static final int ERR = 3;
    private static final int WARNING = 4;
    private static final int INFO = 6;
    private static final int DEBUG = 7;

    /**
     * {@link #info} as a Consumer, made with the Log: a method reference written at the hand-over
     * was linked there, at every boot (a class spun, interpreted), because the AOT training, which
     * makes Logs, never reaches the hand-over.
     */
    final Consumer<String> infoLines = this::info;

    private FileOutputStream kmsg;
    private String savedRateLimit;
    private boolean debug;

    /** Opens /dev/kmsg once devtmpfs is mounted; lifts the kernel's 10-lines-per-5-s limit on it. */
    void openKmsg() {
        try {
            kmsg = new FileOutputStream("/dev/kmsg");
        } catch (IOException e) {
            System.out.println("liftoff: cannot open /dev/kmsg (" + e.getMessage() + "): logging to the console only");
            return;
        }
        // A burst of boot lines would otherwise be dropped; the setting is restored before hand-over.
        try {
            String mode = Files.readString(DEVKMSG_SYSCTL).trim();
            if (mode.equals("ratelimit")) {
                // The kernel takes the value only with its newline ("on" alone is EINVAL).
                Files.writeString(DEVKMSG_SYSCTL, "on\n");
                savedRateLimit = mode;
            }
        } catch (IOException e) {
            // An old kernel without the knob: it rate-limits nothing or everything, either way keep going.
        }
    }

    /** Puts the kmsg rate limit back as the real system expects to find it. */
    void restoreRateLimit() {
        if (savedRateLimit == null) return;
        try {
            Files.writeString(DEVKMSG_SYSCTL, savedRateLimit + "\n");
        } catch (IOException ignored) {
            // Left at "on": harmless, and the real init (systemd) sets it as it likes.
        }
        savedRateLimit = null;
    }

    void setDebug(boolean on) {
        debug = on;
    }

    public void info(String message) {
        write(INFO, message);
    }

    public void warn(String message) {
        write(WARNING, message);
    }

    public void error(String message) {
        write(ERR, message);
    }

    public void debug(String message) {
        if (debug) write(DEBUG, message);
    }

    /** A line for the person at the console, whatever the log level: rescue banners and prompts. */
    public void console(String message) {
        PrintStream out = System.out;
        out.println(message);
        out.flush();
    }

    private void write(int level, String message) {
        if (kmsg == null) {
            console("liftoff: " + message);
            return;
        }
        for (String line : message.split("\n")) {
            try {
                kmsg.write(("<" + level + ">liftoff: " + line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                console("liftoff: " + line);
            }
        }
    }
}
