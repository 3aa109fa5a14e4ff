package liftoff.image.qemu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A running QEMU: its serial console, and a host timeout after which it is killed. */
public final class QemuProcess implements AutoCloseable {
    private final Process process;
    private final Console console;
    private final Thread stderrReader;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final long started = System.nanoTime();
    private final Duration timeout;
    private final Path monitorSocket;

    QemuProcess(Process process, Duration timeout, Consumer<String> consoleListener, Path monitorSocket) {
        this.process = process;
        this.timeout = timeout;
        this.monitorSocket = monitorSocket;
        this.console = new Console(process.getInputStream(), process.getOutputStream(), consoleListener);
        this.stderrReader = Thread.ofPlatform().daemon().name("qemu-stderr").start(() -> drain(process.getErrorStream()));
    }

    /** The guest's serial console, to read and to type into. */
    public Console console() {
        return console;
    }

    /** Connects to the human monitor (QEMU was started with {@link Qemu#monitor}); close it when done. */
    public Monitor monitor() throws IOException, InterruptedException {
        if (monitorSocket == null) throw new IllegalStateException("QEMU was started without a monitor socket (Qemu.monitor)");
        return Monitor.connect(monitorSocket, Duration.ofSeconds(30));
    }

    /**
     * Waits until QEMU exits, or kills it when the host timeout (counted from the start) passes,
     * then waits until the console has been read to the end.
     */
    public QemuExit waitFor() throws InterruptedException {
        long left = timeout.toNanos() - (System.nanoTime() - started);
        boolean timedOut = !process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS);
        if (timedOut) {
            process.destroyForcibly();
            process.waitFor();
        }
        console.awaitClosed();
        stderrReader.join();
        return new QemuExit(process.exitValue(), timedOut, console.text(),
                stderr.toString(StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - started));
    }

    /** Kills QEMU if it still runs; a test's try-with-resources must not leave a guest behind. */
    @Override
    public void close() {
        process.destroyForcibly();
    }

    private void drain(InputStream errors) {
        try (errors) {
            errors.transferTo(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("reading QEMU's stderr", e);
        }
    }
}
