package liftoff.cpio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** Runs the host's reference tools (GNU cpio, bsdcpio, zstd...) from tests; a missing tool fails the test. */
final class Tools {
    private Tools() {}

    /** Feeds {@code input} to the command's stdin and returns its stdout; a non-zero exit fails. */
    static byte[] run(byte[] input, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(input);
            } catch (IOException ignored) {
                // the tool closed stdin early; its exit status tells
            }
        });
        byte[] out;
        try (InputStream s = p.getInputStream()) {
            out = s.readAllBytes();
        }
        feed.join();
        int rc = p.waitFor();
        if (rc != 0) throw new AssertionError(String.join(" ", command) + " exited " + rc);
        return out;
    }
}
