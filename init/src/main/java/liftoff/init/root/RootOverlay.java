package liftoff.init.root;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import liftoff.init.BootFailure;
import liftoff.init.Log;
import liftoff.init.modules.FilesystemModules;
import liftoff.init.modules.ModuleLoader;
import liftoff.sys.Fs;
import liftoff.sys.Mounts;
import liftoff.sys.SyscallException;

/**
 * {@code liftoff.overlay=tmpfs}: a writable root made of the read-only root device (the lower
 * layer) and a tmpfs (the upper layer, whose changes are lost at power-off), as live systems boot.
 *
 * <p>Both layers are mounted under /run/liftoff, and /run is moved into the new root with the
 * other API filesystems at the hand-over, taking its submounts along: the real system finds the
 * pristine root at /run/liftoff/lower and its changes at /run/liftoff/overlay/upper (dracut keeps
 * the same pair at /run/initramfs/live and /run/overlayfs). Nothing of them stays in the
 * initramfs, so the old-root delete cannot reach them; it would skip them anyway, being mount points.
 */
final class RootOverlay {
    static final String LOWER = "/run/liftoff/lower";
    static final String OVERLAY_FS = "/run/liftoff/overlay";
    static final String UPPER = OVERLAY_FS + "/upper";
    static final String WORK = OVERLAY_FS + "/work";

    private RootOverlay() {}

    /** Mounts the tmpfs upper layer and the overlay of it on the root already mounted at {@link #LOWER}. */
    static void mount(String target, boolean readOnly, ModuleLoader modules, Log log) throws BootFailure {
        FilesystemModules.ensure(modules, "overlay", null, log);
        try {
            Files.createDirectories(Path.of(OVERLAY_FS));
            Mounts.mount("tmpfs", OVERLAY_FS, "tmpfs", Mounts.MS_NOSUID | Mounts.MS_NODEV, "mode=0755");
            Fs.mkdirat(Fs.AT_FDCWD, UPPER, 0755);
            Fs.mkdirat(Fs.AT_FDCWD, WORK, 0755);
            Mounts.mount("overlay", target, "overlay", readOnly ? Mounts.MS_RDONLY : 0,
                    "lowerdir=" + LOWER + ",upperdir=" + UPPER + ",workdir=" + WORK);
        } catch (SyscallException | IOException e) {
            throw new BootFailure("cannot make the overlay root on " + target + ": " + e.getMessage());
        }
        log.info("root overlay mounted on " + target + " (lower " + LOWER + " read-only, upper tmpfs " + UPPER + ", "
                + (readOnly ? "ro" : "rw") + ")");
    }
}
