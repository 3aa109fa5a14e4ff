package liftoff.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records the init's AOT cache (JEP 483/514): runs the image's own JVM on the image's own /init in
 * a chroot of the staged image, in training mode (-Dliftoff.train=true: the boot's code paths with
 * harmless calls), with -XX:AOTCacheOutput. The chroot makes every path the JVM records (the jar,
 * the runtime) the path it will have at boot, which the cache checks. Root is not required:
 * without it the chroot runs in a user namespace (unshare -r).
 */
public final class AotTrainer {
    private static final long TIMEOUT_SECONDS = 300;
    private static final String JAVA = JavaRuntime.IMAGE_DIR + "/bin/java";

    private AotTrainer() {}

    /**
     * Trains in {@code root} (a materialized image with /init and /jre) with the boot's own JVM
     * options. Returns the cache file inside root.
     */
    public static Path train(Path root) throws IOException {
        List<String> command = new ArrayList<>();
        if (!isRoot()) command.addAll(List.of("unshare", "--map-root-user"));
        command.addAll(List.of("chroot", root.toString(), JAVA, "-Dliftoff.train=true"));
        List<String> bootArgs = Files.readAllLines(root.resolve("jvm.args"));
        command.addAll(JavaRuntime.trainingJvmArgs(bootArgs, JavaRuntime.AOT_CACHE));   // ends in the main class
        command.add(ImageLayout.INIT_PATH);   // the argument the kernel appends to the launcher line
        Process p = Cleanup.start(new ProcessBuilder(command).redirectErrorStream(true));
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("AOT training did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while training the AOT cache", e);
        }
        Path cache = root.resolve(JavaRuntime.AOT_CACHE.substring(1));
        if (p.exitValue() != 0 || !Files.isRegularFile(cache)) {
            // The JVM's AOT messages go to its log file, not to the output (JavaRuntime.AOT_LOG).
            Path aotLog = root.resolve(JavaRuntime.AOT_LOG.substring(1));
            String jvmLog = Files.isRegularFile(aotLog) ? Files.readString(aotLog) : "";
            throw new IOException("AOT training failed (" + String.join(" ", command) + ", exit " + p.exitValue() + "):\n"
                    + (output + jvmLog).strip());
        }
        return cache;
    }

    /** Whether this process runs as root (user id 0). */
    static boolean isRoot() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }
}
