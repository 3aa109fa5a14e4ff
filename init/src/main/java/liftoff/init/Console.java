package liftoff.init;

import liftoff.sys.Fs;
import liftoff.sys.Processes;
import liftoff.sys.SyscallException;

/**
 * Standard input, output and error on /dev/console. The kernel opens it for init only if the image
 * has the node; after devtmpfs is mounted it always exists, so open it again and put it on fds
 * 0-2, as s6-linux-init does before starting the supervisor.
 */
final class Console {
    private Console() {}

    static void attach(Log log) {
        try {
            int fd = Fs.openat(Fs.AT_FDCWD, "/dev/console", Fs.O_RDWR | Fs.O_NOCTTY, 0);
            for (int std = 0; std <= 2; std++) {
                if (fd != std) Processes.dup3(fd, std, 0);
            }
            if (fd > 2) Fs.close(fd);
        } catch (SyscallException e) {
            log.error("cannot put stdin/stdout/stderr on /dev/console: " + e.getMessage());
        }
    }
}
