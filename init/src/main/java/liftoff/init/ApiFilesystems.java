package liftoff.init;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import liftoff.sys.Errno;
import liftoff.sys.Fs;
import liftoff.handover.MountInfo;
import liftoff.sys.Mounts;
import liftoff.sys.SyscallException;

/**
 * The kernel's API filesystems, mounted once with the flags the real system expects (the real
 * init then finds them moved, not mounted twice), and the /dev links that devtmpfs lacks.
 */
final class ApiFilesystems {
    private record Api(String type, String target, long flags, String data) {}

    private static final long NOSUID = Mounts.MS_NOSUID;
    private static final long NODEV = Mounts.MS_NODEV;
    private static final long NOEXEC = Mounts.MS_NOEXEC;

    // Order matters: /proc first (mountinfo tells what is mounted), /dev before /dev/pts.
    private static final List<Api> MOUNTS = List.of(
            new Api("proc", "/proc", NOSUID | NODEV | NOEXEC, null),
            new Api("sysfs", "/sys", NOSUID | NODEV | NOEXEC, null),
            new Api("devtmpfs", "/dev", NOSUID, "mode=0755"),
            new Api("devpts", "/dev/pts", NOSUID | NOEXEC, "gid=5,mode=0620,ptmxmode=000"),
            new Api("tmpfs", "/run", NOSUID | NODEV, "mode=0755"));

    private static final String[][] DEV_LINKS = {
        {"/proc/self/fd", "/dev/fd"},
        {"/proc/self/fd/0", "/dev/stdin"},
        {"/proc/self/fd/1", "/dev/stdout"},
        {"/proc/self/fd/2", "/dev/stderr"},
    };

    private ApiFilesystems() {}

    /** Mounts what is not mounted yet; a failure is logged and the boot goes on to find out more. */
    static void mountAll(Log log) {
        for (Api api : MOUNTS) {
            try {
                if (!Files.isDirectory(Path.of(api.target), LinkOption.NOFOLLOW_LINKS)) Fs.mkdirat(Fs.AT_FDCWD, api.target, 0755);
                if (MountInfo.isMountPoint(api.target)) {
                    log.debug(api.target + " is mounted already");
                    continue;
                }
                Mounts.mount(api.type, api.target, api.type, api.flags, api.data);
            } catch (SyscallException e) {
                log.error("cannot mount " + api.type + " on " + api.target + ": " + e.getMessage());
            }
        }
        for (String[] link : DEV_LINKS) {
            try {
                Fs.symlinkat(link[0], Fs.AT_FDCWD, link[1]);
            } catch (SyscallException e) {
                if (e.errno() != Errno.EEXIST) log.warn("cannot create " + link[1] + ": " + e.getMessage());
            }
        }
    }
}
