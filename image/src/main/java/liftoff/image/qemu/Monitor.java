package liftoff.image.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * QEMU's human monitor (HMP) on a unix socket: what a test types to change the machine while it
 * runs, such as hot-adding a disk ({@code drive_add}, {@code device_add}). Each command's answer is
 * the text QEMU prints before its next {@code (qemu)} prompt.
 */
public final class Monitor implements AutoCloseable {
    private static final String PROMPT = "(qemu) ";

    private final SocketChannel channel;
    private final StringBuilder pending = new StringBuilder();

    private Monitor(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects to the socket QEMU listens on, waiting up to {@code timeout} for it to appear. */
    static Monitor connect(Path socket, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                Monitor monitor = new Monitor(channel);
                monitor.readUntilPrompt();   // the banner
                return monitor;
            } catch (IOException e) {
                channel.close();
                if (System.nanoTime() > deadline) throw new IOException("no QEMU monitor on " + socket + ": " + e.getMessage(), e);
                Thread.sleep(50);
            }
        }
    }

    /** Runs one command; returns QEMU's answer without the echoed command and the prompt. */
    public String command(String line) throws IOException {
        channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        String answer = readUntilPrompt();
        // The monitor echoes what it is sent (with terminal control sequences): keep what follows.
        int end = answer.indexOf('\n');
        return (end < 0 ? "" : answer.substring(end + 1)).replace("\r", "").strip();
    }

    private String readUntilPrompt() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (pending.indexOf(PROMPT) < 0) {
            buffer.clear();
            if (channel.read(buffer) < 0) throw new IOException("QEMU closed its monitor");
            pending.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        }
        int at = pending.indexOf(PROMPT);
        String text = pending.substring(0, at);
        pending.delete(0, at + PROMPT.length());
        return text;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
