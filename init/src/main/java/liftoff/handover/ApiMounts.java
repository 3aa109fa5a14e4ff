package liftoff.handover;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import liftoff.sys.Fs;
import liftoff.sys.Mounts;
import liftoff.sys.Stat;
import liftoff.sys.SyscallException;

/**
 * Carries the API filesystems (/dev, /proc, /sys, /run) and any extra mounts from the old root into
 * the new one with MS_MOVE: the same mounts move, nothing is mounted a second time, so the real
 * init finds /proc and /sys already there (the Spectrum patches' double-mount trap).
 */
final class ApiMounts {
    static final List<String> STANDARD = List.of("/dev", "/proc", "/sys", "/run");

    private ApiMounts() {}

    /** The standard mounts followed by {@code extra}, without repeats, in order. */
    static List<String> withExtra(List<String> extra) {
        List<String> all = new ArrayList<>(STANDARD);
        for (String e : extra) {
            String normal = Path.of(e).normalize().toString();
            if (!all.contains(normal)) all.add(normal);
        }
        return all;
    }

    /**
     * Moves each mount in {@code mounts} that exists under {@code newRoot}. Where the target is
     * missing, or already has something mounted on it, the old mount is detached instead, as
     * util-linux does: stacking a second /proc on the real root would hide the first.
     */
    static void moveUnder(Path newRoot, List<String> mounts, Consumer<String> log) {
        Stat rootStat = Fs.lstat(newRoot.toString());
        for (String mount : mounts) {
            if (!MountInfo.isMountPoint(mount)) continue;
            Path target = newRoot.resolve(mount.substring(1));
            String why = targetProblem(target, rootStat);
            try {
                if (why == null) {
                    Mounts.move(mount, target.toString());
                } else {
                    log.accept("detaching " + mount + " instead of moving it: " + why);
                    Mounts.umount(mount, Mounts.MNT_DETACH);
                }
            } catch (SyscallException e) {
                log.accept("could not move " + mount + " to " + target + ": " + e.getMessage());
            }
        }
    }

    /** Why the mount cannot go to {@code target}, or null when it can. */
    static String targetProblem(Path target, Stat rootStat) {
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) return target + " is missing in the new root";
        if (!Fs.lstat(target.toString()).sameMount(rootStat)) {
            return target + " is already a mount point";
        }
        return null;
    }
}
