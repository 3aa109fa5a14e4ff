package liftoff.image.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finds and runs the host programs the harness drives (QEMU, mke2fs, sgdisk, busybox). */
final class HostTools {
    private HostTools() {}

    /**
     * The executable {@code command} from PATH, or from /usr/sbin and /sbin, where Debian keeps
     * mke2fs and sgdisk but a normal user's PATH does not look. The error names the Debian package,
     * because "not found" alone leaves the reader to guess it.
     */
    static Path require(String command, String debianPackage) throws IOException {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        throw new IOException(command + " not found: install it with apt-get install " + debianPackage);
    }

    /** Runs a command to completion with extra environment; returns its output (stdout and stderr). */
    static String run(List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
        if (status != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + status + "): " + output.strip());
        }
        return output;
    }
}
