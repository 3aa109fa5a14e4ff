package liftoff.handover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import liftoff.sys.Fs;
import liftoff.sys.Mounts;
import liftoff.sys.StatFs;

/**
 * Moves the running initramfs into a fresh tmpfs and re-execs into it, as Monogon's init does. A
 * system that runs from its initramfs but needs pivot_root later (container runtimes) cannot have
 * rootfs as its root; a tmpfs mounted over it can be pivoted away from.
 *
 * <p>Files are moved one at a time (copied, then the original deleted at once), so the memory the
 * image holds is never doubled. Mounts under the old root are moved along with MS_MOVE. The
 * re-exec'd program finds {@link #MARKER} in its environment and knows not to do this again.
 */
public final class TmpfsHandover {
    public static final String MARKER = "LIFTOFF_TMPFS_ROOT";

    private TmpfsHandover() {}

    public static void run(String mountDir, String init, List<String> args, Consumer<String> log) throws HandoverException {
        if (System.getenv(MARKER) != null) {
            throw new HandoverException(MARKER + " is set: this system already runs from a tmpfs; refusing to move it again");
        }
        StatFs rootFs = Fs.statfs("/");
        if (!rootFs.isRamBacked()) {
            throw new HandoverException("the current root is " + rootFs.typeName() + ", not an initramfs (ramfs/tmpfs):"
                    + " use --pivot for a root on a real filesystem");
        }
        Path target = Path.of(mountDir).toAbsolutePath().normalize();
        if (target.getNameCount() != 1) {
            throw new HandoverException("--via-tmpfs mounts the new tmpfs on a top-level directory such as /newroot, not " + target);
        }
        Preflight.requireRunnableInside(Path.of("/"), init);

        try {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(target);
        } catch (IOException e) {
            throw new HandoverException("cannot create " + target + ": " + e.getMessage());
        }
        // From here on mounts and files move away, the JDK's and liftoff's own among them.
        RootChange.prepare();
        Mounts.mount("tmpfs", target.toString(), "tmpfs", 0, "mode=0755");
        moveMounts(target, log);
        int oldRoot = Fs.openDirectory("/");
        int newRoot = Fs.openDirectory(target.toString());
        try {
            TreeMover.moveContents(oldRoot, newRoot, target.getFileName().toString().getBytes(StandardCharsets.UTF_8), log);
        } finally {
            Fs.close(oldRoot);
            Fs.close(newRoot);
        }
        RootChange.enter(target);

        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) env.add(e.getKey() + "=" + e.getValue());
        env.add(MARKER + "=1");
        Exec.init(init, args, env, log);
    }

    /** Moves every top-level mount below / (with what is mounted below it) into the tmpfs. */
    private static void moveMounts(Path target, Consumer<String> log) {
        List<MountInfo> table = MountInfo.read();
        List<String> points = new ArrayList<>();
        for (MountInfo m : table) {
            String p = m.mountPoint();
            if (p.equals("/") || Path.of(p).startsWith(target)) continue;
            if (points.contains(p)) continue;
            points.add(p);
        }
        points.sort(Comparator.comparingInt((String p) -> Path.of(p).getNameCount()).thenComparing(Comparator.naturalOrder()));
        List<String> moved = new ArrayList<>();
        for (String p : points) {
            boolean under = false;
            for (String m : moved) if (Path.of(p).startsWith(m)) under = true;
            if (under) continue;   // it travelled with its parent mount
            Path to = target.resolve(p.substring(1));
            try {
                Files.createDirectories(to);
                Mounts.move(p, to.toString());
                moved.add(p);
            } catch (IOException | RuntimeException e) {
                log.accept("could not move the mount " + p + " into the tmpfs: " + e.getMessage());
            }
        }
    }
}
