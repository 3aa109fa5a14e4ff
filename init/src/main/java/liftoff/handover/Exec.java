package liftoff.handover;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import liftoff.sys.Processes;
import liftoff.sys.SyscallException;

/**
 * The last step of every hand-over: execve the init in this same process, so PID 1 stays PID 1,
 * with stdin, stdout and stderr and no other descriptor of the JVM's.
 * If that fails after the root was switched there is no way back; a PID 1 must still never exit
 * (the kernel would panic), so it tries a shell and otherwise waits forever with the reason shown.
 */
final class Exec {
    private static final String RESCUE_SHELL = "/bin/sh";

    private Exec() {}

    /** Returns only when not PID 1 and the exec failed; the caller then exits non-zero. */
    static void init(String init, List<String> args, List<String> env, Consumer<String> log) {
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add(init);
        argv.addAll(args);
        try {
            // The JVM's own descriptors (its class image, the kernel log) must not outlive it: in the
            // init they would hold the emptied initramfs's class image in memory for good.
            Processes.closeOnExecFrom(3);
        } catch (SyscallException e) {
            log.accept("descriptors above 2 stay open in " + init + ": " + e.getMessage());
        }
        try {
            Processes.execve(init, argv, env);
        } catch (SyscallException e) {
            log.accept("cannot start " + init + ": " + e.getMessage());
            if (ProcessHandle.current().pid() == 1) neverReturn(log);
        }
    }

    private static void neverReturn(Consumer<String> log) {
        log.accept("PID 1 must not exit: starting " + RESCUE_SHELL + " instead");
        try {
            Processes.execve(RESCUE_SHELL, List.of(RESCUE_SHELL));
        } catch (SyscallException e) {
            log.accept("cannot start " + RESCUE_SHELL + " either: " + e.getMessage() + "; the system is halted here");
        }
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ignored) {
                // PID 1 keeps waiting: there is nothing to return to.
            }
        }
    }
}
