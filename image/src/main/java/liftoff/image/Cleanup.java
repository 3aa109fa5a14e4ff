package liftoff.image;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import liftoff.sys.Fs;
import liftoff.sys.SyscallException;

/**
 * What a build owns only while it runs: its temporary directories and files (the 80 MB staging
 * tree, IMAGE.partial, a runtime half-written by jlink into the cache) and the programs it started
 * (jdeps, jlink, strip, the training JVM). The code that makes one deletes it in a finally block.
 *
 * <p>SIGINT and SIGTERM start the JVM's shutdown while the build's thread goes on running, and no
 * finally block runs once the JVM halts. So a shutdown hook first makes every method here refuse
 * (nothing new is made, started, written or renamed into place), stops the programs (the build's
 * thread then fails where it waits for them), deletes what is registered, and waits a few seconds
 * for the build's own finally blocks, deleting again what a thread still working may have made
 * meanwhile (Files.createDirectories makes a deleted parent anew).
 */
final class Cleanup {
    /** How long a killed program may take to be gone. */
    private static final long EXIT_WAIT_SECONDS = 5;

    /** How long the hook waits for the build's thread to reach its finally blocks. */
    private static final long FINISH_WAIT_SECONDS = 10;

    private static final Object LOCK = new Object();
    private static final Set<Path> PATHS = new LinkedHashSet<>();
    private static final Set<Process> PROCESSES = new HashSet<>();
    private static volatile boolean exiting;

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("liftoff cleanup").unstarted(Cleanup::onExit));
    }

    private Cleanup() {}

    /** A new directory in {@code parent} (the JVM's temporary directory when null), deleted with its contents at the end. */
    static Path tempDirectory(Path parent, String prefix) throws IOException {
        synchronized (LOCK) {
            refuseWhenExiting();
            return add(parent == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(parent, prefix));
        }
    }

    /** A new file in {@code parent} (the JVM's temporary directory when null), deleted at the end unless renamed away. */
    static Path tempFile(Path parent, String prefix, String suffix) throws IOException {
        synchronized (LOCK) {
            refuseWhenExiting();
            return add(parent == null ? Files.createTempFile(prefix, suffix) : Files.createTempFile(parent, prefix, suffix));
        }
    }

    /**
     * Creates {@code file} (e.g. IMAGE.partial; an existing one is kept) and registers it like
     * {@link #tempFile}. Created with openat(2), so that a failure carries the errno to report.
     *
     * @throws SyscallException when it cannot be created
     */
    static Path file(Path file) throws IOException {
        synchronized (LOCK) {
            refuseWhenExiting();
            Fs.close(Fs.openat(Fs.AT_FDCWD, file.toString(), Fs.O_WRONLY | Fs.O_CREAT | Fs.O_CLOEXEC, 0644));
            return add(file);
        }
    }

    /** Writes {@code file}, a registered one, from the start; every write fails once the JVM is shutting down. */
    static OutputStream newOutputStream(Path file) throws IOException {
        OutputStream out;
        synchronized (LOCK) {
            refuseWhenExiting();
            out = Files.newOutputStream(file);
        }
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                refuseWhenExiting();
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                refuseWhenExiting();
                out.write(b, off, len);
            }
        };
    }

    /** Renames a registered file into place, atomically; from then on it is the caller's. */
    static void publish(Path file, Path target) throws IOException {
        synchronized (LOCK) {
            refuseWhenExiting();
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            PATHS.remove(file);
        }
    }

    /** Starts {@code builder}'s program; the hook stops it, and what it started, if it still runs at the end. */
    static Process start(ProcessBuilder builder) throws IOException {
        synchronized (LOCK) {
            refuseWhenExiting();
            Process process = builder.start();
            PROCESSES.add(process);
            process.onExit().thenRun(() -> {
                synchronized (LOCK) {
                    PROCESSES.remove(process);
                }
            });
            return process;
        }
    }

    /** Deletes {@code path} (a whole tree for a directory; nothing when it is gone) and forgets it. */
    static void delete(Path path) throws IOException {
        synchronized (LOCK) {
            try {
                if (PATHS.contains(path)) deleteTree(path);
            } finally {
                PATHS.remove(path);
                LOCK.notifyAll();
            }
        }
    }

    private static Path add(Path path) {
        PATHS.add(path);
        return path;
    }

    /** Whether the JVM is shutting down: what fails then is a consequence, not the build's own error. */
    static boolean exiting() {
        return exiting;
    }

    private static void refuseWhenExiting() throws IOException {
        if (exiting) throw new IOException("interrupted");
    }

    private static void onExit() {
        List<Process> running;
        synchronized (LOCK) {
            exiting = true;
            running = List.copyOf(PROCESSES);
        }
        stop(running);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FINISH_WAIT_SECONDS);
        synchronized (LOCK) {
            List<String> failures = new ArrayList<>();
            while (!PATHS.isEmpty()) {
                failures.clear();
                for (Path path : PATHS) {
                    try {
                        deleteTree(path);
                    } catch (IOException | UncheckedIOException e) {
                        failures.add(path + ": " + e.getMessage());
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                try {
                    LOCK.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 100));
                } catch (InterruptedException e) {
                    break;
                }
            }
            failures.forEach(f -> System.err.println("liftoff: could not remove " + f));
        }
    }

    /**
     * Kills each program and everything it started (the training JVM forks the one that writes the
     * cache), children first, so that none is left to a parent that can no longer be asked. SIGKILL:
     * their work is thrown away anyway, and a training JVM that gets SIGTERM starts writing its cache.
     */
    private static void stop(List<Process> processes) {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes) {
            p.descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception notYet) {
                // The wait below is bounded too; the kernel ends it.
            }
        }
    }

    /**
     * Deletes a tree (or a file), tolerating entries that vanish meanwhile; a directory that gains an
     * entry while it is emptied (a program that was still writing) is walked again.
     */
    static void deleteTree(Path root) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
                List<Path> all;
                try (Stream<Path> walk = Files.walk(root)) {
                    all = walk.sorted(Comparator.reverseOrder()).toList();
                }
                for (Path p : all) Files.deleteIfExists(p);
                return;
            } catch (NoSuchFileException | DirectoryNotEmptyException | UncheckedIOException raced) {
                if (attempt == 3) throw raced;
            }
        }
    }
}
