package liftoff.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import liftoff.sys.Fs;
import liftoff.sys.Stat;

/**
 * The image as the contents of a partition that the kernel mounts as its root ({@code
 * root=/dev/PARTITION init=/init}, no initrd): a directory tree to copy onto one, or an ext4
 * filesystem image to write onto one. Both hold what the cpio would, with the same modes, owned by
 * root, and with the device nodes the kernel opens for init's console before anything is mounted
 * (without /dev/console PID 1 starts with no stdin, stdout or stderr, and the first files the JVM
 * opens get those numbers).
 */
final class PartitionImage {
    /** The ext4 image's label. The kernel cannot mount its root by label; it is for people and blkid. */
    static final String LABEL = "liftoff-early";
    private static final long BLOCK = 4096;
    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private PartitionImage() {}

    /**
     * Writes the plan as a tree at {@code dir}, which must not exist or be empty. The device nodes
     * and root ownership need root; without it the progress says what to do by hand.
     */
    static void writeDirectory(ImageLayout.Plan plan, Path dir, Consumer<String> progress) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) throw new IOException(dir + ": exists and is not a directory");
            try (Stream<Path> existing = Files.list(dir)) {
                if (existing.findAny().isPresent()) throw new IOException(dir + ": directory is not empty");
            }
        }
        materialize(plan, dir);
        if (!AotTrainer.isRoot()) {
            progress.accept("dir: not root, so the files are yours and the device nodes are missing: copy the tree as root"
                    + " (cp -a), chown -R 0:0 it, and make " + nodeCommands(plan, dir));
            return;
        }
        for (ImageEntry entry : plan.entries()) {
            Path path = dir.resolve(entry.name().substring(1));
            if (entry instanceof ImageEntry.Node node) {
                Fs.mknodat(Fs.AT_FDCWD, path.toString(), fileType(node) | node.mode(), Stat.makedev(node.major(), node.minor()));
                Files.setAttribute(path, "unix:mode", node.mode());   // mknod's mode went through the umask
            }
            Files.setAttribute(path, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * Writes the plan as an ext4 filesystem image at {@code image}: mke2fs -d copies a staged tree
     * (in {@code work}) into a plain file, debugfs makes the device nodes and gives every inode to
     * root. No journal: the kernel mounts the partition read-only and nothing writes to it, so
     * there is never anything to replay, and the 4+ MiB stay free. Sized to the contents, with room
     * for directories and inodes; {@code epoch} (when not 0) becomes every timestamp mke2fs sets.
     */
    static void writeExt4(ImageLayout.Plan plan, Path partial, Path image, long epoch, Path work) throws IOException {
        Path mke2fs = tool("mke2fs");
        Path debugfs = tool("debugfs");
        Path tree = work.resolve("partition");
        materialize(plan, tree);
        long dataBlocks = 0;
        for (ImageEntry entry : plan.entries()) {
            if (entry instanceof ImageEntry.File file) dataBlocks += (Files.size(file.source()) + BLOCK - 1) / BLOCK;
        }
        int entries = plan.entries().size();
        long inodes = entries + 64;
        // Data, one block per entry (directories, long symlinks), a tenth for extent trees and bitmaps,
        // 256-byte inodes, and 8 MiB for the superblocks and group descriptors.
        long bytes = (dataBlocks + entries) * BLOCK * 11 / 10 + inodes * 256 + (8L << 20);
        long mib = (bytes + (1 << 20) - 1) >> 20;
        Files.deleteIfExists(partial);   // mke2fs makes it anew, of the size it needs
        Map<String, String> time = epoch > 0 ? Map.of("E2FSPROGS_FAKE_TIME", Long.toString(epoch)) : Map.of();
        run(List.of(mke2fs.toString(), "-q", "-F", "-t", "ext4", "-b", Long.toString(BLOCK), "-N", Long.toString(inodes),
                "-I", "256", "-m", "0", "-O", "^has_journal", "-L", LABEL, "-E", "root_owner=0:0", "-d", tree.toString(),
                partial.toString(), mib + "M"), time);
        List<String> commands = new ArrayList<>();
        for (ImageEntry entry : plan.entries()) {
            String name = "\"" + entry.name() + "\"";
            if (entry instanceof ImageEntry.Node node) {
                // debugfs's mknod links the name it is given, slashes and all, into the current directory.
                int slash = node.name().lastIndexOf('/');
                commands.add("cd \"" + (slash == 0 ? "/" : node.name().substring(0, slash)) + "\"");
                commands.add("mknod \"" + node.name().substring(slash + 1) + "\" " + node.type() + " " + node.major() + " " + node.minor());
                commands.add("cd /");
                commands.add("sif " + name + " mode 0" + Integer.toOctalString(fileType(node) | node.mode()));
            }
            commands.add("sif " + name + " uid 0");
            commands.add("sif " + name + " gid 0");
        }
        Path script = Files.write(work.resolve("partition.debugfs"), commands, StandardCharsets.UTF_8);
        String log = run(List.of(debugfs.toString(), "-w", "-f", script.toString(), partial.toString()), time);
        // debugfs exits 0 even when a request fails; its own echo of each request starts with "debugfs",
        // and mknod reports the inode it took.
        List<String> errors = log.lines().filter(line -> !line.startsWith("debugfs") && !line.startsWith("Allocated inode: ")).toList();
        if (!errors.isEmpty()) throw new IOException("debugfs on " + partial + ": " + String.join("; ", errors));
        Cleanup.publish(partial, image);
    }

    /** The plan's tree at {@code dir}, with the modes Java's permission sets cannot carry (/tmp's sticky bit). */
    private static void materialize(ImageLayout.Plan plan, Path dir) throws IOException {
        plan.materialize(dir);
        for (ImageEntry entry : plan.entries()) {
            if (entry instanceof ImageEntry.Dir d && (d.mode() & 07000) != 0) {
                Files.setAttribute(dir.resolve(d.name().substring(1)), "unix:mode", d.mode());
            }
        }
    }

    private static String nodeCommands(ImageLayout.Plan plan, Path dir) {
        List<String> commands = new ArrayList<>();
        for (ImageEntry entry : plan.entries()) {
            if (entry instanceof ImageEntry.Node node) {
                commands.add("mknod -m " + Integer.toOctalString(node.mode()) + " " + dir.resolve(node.name().substring(1)) + " "
                        + node.type() + " " + node.major() + " " + node.minor());
            }
        }
        return String.join("; ", commands);
    }

    private static int fileType(ImageEntry.Node node) {
        return node.type() == 'b' ? Stat.S_IFBLK : Stat.S_IFCHR;
    }

    private static Path tool(String name) throws IOException {
        return ImageLayout.hostProgram(name, SBIN)
                .orElseThrow(() -> new IOException("--format ext4 needs " + name + " (apt-get install e2fsprogs)"));
    }

    /** Runs {@code command} to its end; its output, or an error with the output when it fails. */
    private static String run(List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException(Path.of(command.getFirst()).getFileName() + " failed (exit " + process.exitValue() + "): " + output.strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
        return output;
    }
}
