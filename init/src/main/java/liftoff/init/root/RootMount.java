package liftoff.init.root;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import liftoff.handover.HandoverException;
import liftoff.handover.SwitchRoot;
import liftoff.init.BootFailure;
import liftoff.init.Log;
import liftoff.init.cmdline.FsckOptions;
import liftoff.init.cmdline.RootOptions;
import liftoff.init.modules.FilesystemModules;
import liftoff.init.modules.ModuleLoader;
import liftoff.init.probe.Filesystem;
import liftoff.init.probe.Probe;
import liftoff.init.verity.VerityRoot;
import liftoff.sys.Mounts;
import liftoff.sys.SyscallException;

/**
 * Mounts the root device on /newroot (read-only unless rw), checked first when it is to be writable
 * ({@link Fsck}), or as the lower layer of an overlay root ({@link RootOverlay}); picks the init inside it.
 */
public final class RootMount {
    private RootMount() {}

    public static void mount(Path device, RootOptions root, FsckOptions fsck, String target, ModuleLoader modules, Log log)
            throws BootFailure {
        List<String> types = candidateTypes(device, root);
        // The kernel would ask modprobe for fs-TYPE; there is none here. Only a known type is worth it.
        if (types.size() == 1 || !root.fsTypes().isEmpty()) {
            for (String type : types) FilesystemModules.ensure(modules, type, root.flags(), log);
        }
        if (root.overlay()) {
            mountDevice(device, types, RootOverlay.LOWER, true, root.flags(), log);
            RootOverlay.mount(target, root.readOnly(), modules, log);
            return;
        }
        if (types.size() == 1) Fsck.beforeMount(device, types.getFirst(), root.readOnly(), fsck, log);
        mountDevice(device, types, target, root.readOnly(), root.flags(), log);
    }

    private static void mountDevice(Path device, List<String> types, String target, boolean readOnly, String flags, Log log)
            throws BootFailure {
        try {
            Files.createDirectories(Path.of(target));
        } catch (IOException e) {
            throw new BootFailure("cannot create " + target + ": " + e.getMessage());
        }
        List<String> tried = new ArrayList<>();
        for (String type : types) {
            try {
                Mounts.mount(device.toString(), target, type, readOnly ? Mounts.MS_RDONLY : 0, flags);
                log.info("root mounted " + device + " on " + target + " (" + type + ", " + (readOnly ? "ro" : "rw") + ")");
                return;
            } catch (SyscallException e) {
                tried.add(e.getMessage());
            }
        }
        String corruption = VerityRoot.corruption(device);
        if (corruption != null) throw new BootFailure(corruption + "\n  " + String.join("\n  ", tried));
        throw new BootFailure("cannot mount the root " + device + " on " + target + ":\n  " + String.join("\n  ", tried));
    }

    /**
     * rootfstype= when given; else the type the superblock says; else, like the kernel, every
     * block filesystem it knows (/proc/filesystems without "nodev").
     */
    private static List<String> candidateTypes(Path device, RootOptions root) throws BootFailure {
        if (!root.fsTypes().isEmpty()) return root.fsTypes();
        try {
            Filesystem fs = Probe.filesystem(device);
            if (fs != null && fs.type() != null) {
                if (fs.type().equals("swap") || fs.type().startsWith("crypto_")) {
                    throw new BootFailure("the root " + device + " holds " + fs.type() + ", not a filesystem");
                }
                return List.of(fs.type());
            }
        } catch (IOException e) {
            // Unreadable superblock: let the kernel's own probing below have a go.
        }
        List<String> types = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/filesystems"))) {
                if (!line.startsWith("nodev")) types.add(line.trim());
            }
        } catch (IOException e) {
            throw new BootFailure("cannot tell the filesystem of " + device + " and cannot read /proc/filesystems");
        }
        return types;
    }

    /**
     * The first init candidate that is an executable file inside the mounted root, once it is known
     * that the kernel can run it: after the hand-over a failed exec leaves no rescue shell. A
     * candidate that is there but cannot run is a failure, not a reason to start the next one (a
     * /bin/sh as PID 1 in place of a damaged /sbin/init).
     */
    public static String chooseInit(RootOptions options, String root) throws BootFailure {
        List<String> why = new ArrayList<>();
        for (String candidate : options.initCandidates()) {
            try {
                SwitchRoot.checkInit(root, candidate);
            } catch (HandoverException e) {
                why.add(e.getMessage());
                continue;
            }
            try {
                SwitchRoot.checkInitRuns(root, candidate);
                return candidate;
            } catch (HandoverException e) {
                throw new BootFailure(e.getMessage());
            }
        }
        throw new BootFailure("no init to start in the root:\n  " + String.join("\n  ", why));
    }
}
