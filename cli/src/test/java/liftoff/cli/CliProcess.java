package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs liftoff in a JVM of its own, with the launcher's options: the verbs write to the real file
 * descriptors 1 and 2, so a full disk or a closed pipe is the kernel's, and the exit status is
 * System.exit's.
 */
final class CliProcess {
    /** What the run left: its exit status, stdout (empty when redirected elsewhere) and stderr. */
    record Result(int status, String out, String err) {}

    private CliProcess() {}

    /** The command line that runs {@code liftoff ARGS} from this test's class path. */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command(args)));
    }

    /** Starts {@code builder} (stdin empty unless it says otherwise) and waits for it. */
    static Result run(ProcessBuilder builder) throws IOException, InterruptedException {
        if (builder.redirectInput() == ProcessBuilder.Redirect.PIPE) builder.redirectInput(new File("/dev/null"));
        Process p = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(p.getErrorStream()));
        String out = text(p.getInputStream());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "liftoff did not finish: " + builder.command());
        return new Result(p.exitValue(), out, err.join());
    }

    private static String text(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
