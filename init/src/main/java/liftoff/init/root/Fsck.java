package liftoff.init.root;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import liftoff.init.BootFailure;
import liftoff.init.Log;
import liftoff.init.cmdline.FsckOptions;
import liftoff.init.cmdline.FsckOptions.Mode;
import liftoff.init.cmdline.FsckOptions.Repair;
import liftoff.sys.Processes;
import liftoff.sys.SyscallException;

/**
 * Checks a root filesystem before it is mounted writable, as initramfs-tools does, when the image
 * has the filesystem's checker: e2fsck for ext2/3/4, fsck.TYPE for others. xfs and btrfs are
 * checked by the kernel at mount (fsck.xfs is a no-op; btrfs has no boot-time fsck). A root
 * mounted read-only is left to the real init (systemd-fsck-root checks it before remounting rw),
 * unless fsck.mode=force. The exit status decides, with fsck(8)'s meanings: 0 and 1 go on, 2 and
 * 3 (the system should reboot) reboot as systemd-fsck does, 4 and above (errors left, or fsck
 * itself failed) end in the rescue shell with the reason.
 */
public final class Fsck {
    /** Where a merged-/usr image or a classic one keeps the checkers. */
    private static final List<String> TOOL_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    /** What the boot does after the checker exits with {@code status}. */
    enum Verdict { GO_ON, REBOOT, RESCUE }

    private Fsck() {}

    /**
     * Checks {@code device} holding {@code type} if the options and the image allow; reboots when the
     * checker asks; throws with the reason when errors are left.
     */
    static void beforeMount(Path device, String type, boolean readOnly, FsckOptions options, Log log) throws BootFailure {
        Mode mode = options.mode();
        if (mode == Mode.SKIP) {
            log.info("fsck: skipped (fsck.mode=skip)");
            return;
        }
        if (readOnly && mode != Mode.FORCE) {
            log.debug("fsck: the root is mounted read-only; the real init checks it before it remounts it rw");
            return;
        }
        if (type.equals("squashfs") || type.equals("erofs")) {
            log.debug("fsck: " + type + " is a read-only image; nothing to check");
            return;
        }
        if (type.equals("xfs") || type.equals("btrfs")) {
            log.info("fsck: " + type + " is checked by the kernel when mounted; nothing to run");
            return;
        }
        String tool = toolName(type);
        Path program = locate(tool);
        if (program == null) {
            log.info("fsck: no " + tool + " in this image; mounting " + device + " unchecked");
            return;
        }
        List<String> command = command(program, tool, options.repair(), mode, device);
        log.info("fsck: " + String.join(" ", command));
        int status = run(command, log);
        String what = tool + " exit status " + status + " (" + meaning(status) + ")";
        switch (verdict(status)) {
            case GO_ON -> log.info("fsck: " + device + ": " + what);
            case REBOOT -> {
                log.warn("fsck: " + device + ": " + what + ": rebooting");
                Processes.sync();
                try {
                    Processes.reboot(Processes.RB_AUTOBOOT);
                } catch (SyscallException e) {
                    throw new BootFailure("fsck of " + device + " asked for a reboot and the reboot failed: " + e.getMessage());
                }
            }
            case RESCUE -> throw new BootFailure("fsck of the root " + device + " failed: " + what
                    + "; repair it here (" + program + " " + device + "), then `exit` to boot again, or boot with fsck.mode=skip");
        }
    }

    /** ext2/3/4 share e2fsck; any other type its fsck.TYPE. */
    static String toolName(String type) {
        // Not a regex: compiling one costs milliseconds on the boot path under -Xint.
        return type.equals("ext2") || type.equals("ext3") || type.equals("ext4") ? "e2fsck" : "fsck." + type;
    }

    static List<String> command(Path program, String tool, Repair repair, Mode mode, Path device) {
        List<String> command = new ArrayList<>(List.of(program.toString(), repair.flag));
        // Only e2fsck's -f means "check even if clean" (fsck.fat's -f salvages chains).
        if (mode == Mode.FORCE && tool.equals("e2fsck")) command.add("-f");
        command.add(device.toString());
        return command;
    }

    public static Verdict verdict(int status) {
        if (status >= 4 || status < 0) return Verdict.RESCUE;
        return (status & 2) != 0 ? Verdict.REBOOT : Verdict.GO_ON;
    }

    /** fsck(8)'s exit codes, which are bits; the highest one set says the most. */
    static String meaning(int status) {
        if (status == 0) return "no errors";
        if (status >= 128) return "shared library error";
        if (status >= 32) return "cancelled";
        if (status >= 16) return "usage or syntax error";
        if (status >= 8) return "operational error";
        if (status >= 4) return "errors left uncorrected";
        if (status >= 2) return "errors corrected, the system should be rebooted";
        return "errors corrected";
    }

    /** Runs the checker with its output logged line by line; its exit status, or 8 when it cannot run. */
    public static int run(List<String> command, Log log) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();   // preen/yes/no never ask; a question must not hang the boot
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) log.info("fsck: " + line);
            }
            return process.waitFor();
        } catch (IOException e) {
            log.error("fsck: cannot run " + command.getFirst() + ": " + e.getMessage());
            return 8;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 8;
        }
    }

    private static Path locate(String tool) {
        for (String dir : TOOL_DIRS) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }
}
