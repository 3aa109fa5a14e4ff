package liftoff.image.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest's serial console: everything it printed so far, each finished line handed to a listener
 * as it arrives, and a keyboard for typing into it.
 *
 * <p>{@link #await} works like expect: each call searches only the text after the previous match,
 * so waiting twice for the same prompt waits for two prompts. It also sees an unfinished line, which
 * is what a prompt such as {@code "Passphrase: "} is.
 */
public final class Console {
    private final OutputStream keyboard;
    private final Consumer<String> lineListener;
    private final StringBuilder transcript = new StringBuilder();
    private int lineStart;
    private int searchFrom;
    private boolean closed;
    private IOException readFailure;

    /**
     * Starts reading {@code serialOutput} on a daemon thread. Carriage returns are dropped: the
     * serial line sends CR LF, and nobody wants the CR in a Java string.
     */
    Console(InputStream serialOutput, OutputStream serialInput, Consumer<String> lineListener) {
        this.keyboard = serialInput;
        this.lineListener = lineListener;
        Thread.ofPlatform().daemon().name("qemu-console").start(() -> pump(serialOutput));
    }

    /** Sends text to the guest as if typed; end a line with "\n". */
    public void type(String text) throws IOException {
        keyboard.write(text.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Everything the guest printed so far. */
    public synchronized String text() {
        return transcript.toString();
    }

    /** Waits for {@code literal} to appear after the previous match; returns it. */
    public String await(String literal, Duration timeout) throws IOException, InterruptedException {
        return await(Pattern.compile(Pattern.quote(literal)), timeout);
    }

    /**
     * Waits until {@code pattern} matches the text after the previous match and returns the matched
     * text. Fails when the timeout passes or the console closes (QEMU exited) first; the message ends
     * with the console's last lines, which usually say why.
     */
    public synchronized String await(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher matcher = pattern.matcher(transcript).region(searchFrom, transcript.length());
            if (matcher.find()) {
                searchFrom = matcher.end();
                return matcher.group();
            }
            long left = deadline - System.nanoTime();
            if (closed || left <= 0) {
                String why = !closed ? "nothing matched within " + timeout
                        : readFailure == null ? "the console closed (QEMU exited)"
                        : "reading the console failed: " + readFailure.getMessage();
                throw new IOException("waiting for /" + pattern + "/ on the console: " + why
                        + "; last lines:\n" + tail(15));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Blocks until the guest side has closed, i.e. QEMU has exited and everything it printed is read. */
    synchronized void awaitClosed() throws InterruptedException {
        while (!closed) wait();
    }

    private void pump(InputStream serialOutput) {
        char[] buffer = new char[8192];
        try (Reader reader = new InputStreamReader(serialOutput, StandardCharsets.UTF_8)) {
            for (int n; (n = reader.read(buffer)) > 0; ) append(buffer, n);
            finish(null);
        } catch (IOException e) {
            finish(e);
        }
    }

    private synchronized void append(char[] chars, int count) {
        for (int i = 0; i < count; i++) {
            char c = chars[i];
            if (c == '\r') continue;
            transcript.append(c);
            if (c == '\n') {
                lineListener.accept(transcript.substring(lineStart, transcript.length() - 1));
                lineStart = transcript.length();
            }
        }
        notifyAll();
    }

    /** The end of the console: normally QEMU exited; a read failure is kept for await's message. */
    private synchronized void finish(IOException failure) {
        if (lineStart < transcript.length()) lineListener.accept(transcript.substring(lineStart));
        readFailure = failure;
        closed = true;
        notifyAll();
    }

    private String tail(int lines) {
        String[] all = transcript.toString().split("\n");
        return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }
}
