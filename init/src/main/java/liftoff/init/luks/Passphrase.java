package liftoff.init.luks;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import liftoff.init.Log;
import liftoff.sys.Ioctl;
import liftoff.sys.SyscallException;

/**
 * Reads a passphrase from the console (standard input) with echo off: TCGETS, clear ECHO, TCSETS,
 * read one line, put the terminal back. The bytes are returned as typed, without the newline, for
 * the caller to wipe; the buffer they were read into is wiped here. Nothing of them is logged.
 */
final class Passphrase {
    private static final long TCGETS = 0x5401;
    private static final long TCSETS = 0x5402;
    /** sizeof(struct termios) as the kernel defines it (NCCS 19). */
    private static final int TERMIOS_SIZE = 36;
    private static final long C_LFLAG = 12;
    private static final int ECHO = 0x8;
    private static final int MAX_BYTES = 1024;

    private Passphrase() {}

    /** The typed line, or null at end of input (no console, or it was closed). */
    static byte[] read(String prompt, Log log) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment saved = arena.allocate(TERMIOS_SIZE, 4);
            boolean echoOff = false;
            try {
                Ioctl.ioctl(0, TCGETS, saved);
                MemorySegment quiet = arena.allocate(TERMIOS_SIZE, 4).copyFrom(saved);
                quiet.set(ValueLayout.JAVA_INT, C_LFLAG, saved.get(ValueLayout.JAVA_INT, C_LFLAG) & ~ECHO);
                Ioctl.ioctl(0, TCSETS, quiet);
                echoOff = true;
            } catch (SyscallException e) {
                // Not a terminal (a pipe in a test harness): read it anyway, nothing is echoed by a pipe.
                log.debug("passphrase: cannot turn off echo: " + e.getMessage());
            }
            // Echo goes off before the prompt shows: the terminal echoes a key when it arrives, not when it is read.
            System.out.print(prompt);
            System.out.flush();
            try {
                return line();
            } finally {
                if (echoOff) Ioctl.ioctl(0, TCSETS, saved);
                System.out.println();
            }
        }
    }

    private static byte[] line() {
        byte[] buffer = new byte[MAX_BYTES];
        int length = 0;
        try {
            @SuppressWarnings("resource") // standard input stays open for the rescue shell
            FileInputStream in = new FileInputStream(FileDescriptor.in);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (length == 0) return null;
                    break;
                }
                if (b == '\n' || b == '\r') break;
                if (length == buffer.length) continue;   // a longer line is cut, as cryptsetup's prompt cuts it
                buffer[length++] = (byte) b;
            }
            return Arrays.copyOf(buffer, length);
        } catch (IOException e) {
            return null;
        } finally {
            Arrays.fill(buffer, (byte) 0);
        }
    }
}
