package liftoff.init;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import liftoff.handover.HandoverException;
import liftoff.handover.SwitchRoot;
import liftoff.sys.SyscallException;

/**
 * The boot, top to bottom: API filesystems, console, command line, modules, root device, mount,
 * hand-over. Any failure lands in the rescue shell with the reason; leaving it tries again. PID 1
 * never returns from here: the kernel panics if init exits.
 */
final class Boot {
    static final String NEW_ROOT = "/newroot";

    private final Log log;
    private final long mainNanos;

    /** @param mainNanos System.nanoTime() when main() began, for the timeline's "JVM main" */
    Boot(Log log, long mainNanos) {
        this.log = log;
        this.mainNanos = mainNanos;
    }

    void run() {
        ApiFilesystems.mountAll(log);
        long mountedNanos = System.nanoTime();
        log.openKmsg();
        Console.attach(log);
        Cmdline cmdline = Cmdline.read(Path.of("/proc/cmdline"));
        log.setDebug(cmdline.debug());
        for (String problem : cmdline.problems()) log.warn("kernel command line: " + problem);
        Optional<String> aotProblem = AotStatus.problem();
        log.info(StartupTimes.startedLine(mainNanos, mountedNanos, System.nanoTime(), aotProblem.isEmpty()));
        aotProblem.ifPresent(reason -> log.warn("AOT cache not used: " + reason));

        String release = KernelRelease.current();
        ModuleLoader.Result modules = ModuleLoader.loadAll(release, new HashSet<>(cmdline.blacklist()),
                cmdline.moduleParameters(), log);
        log.info("modules loaded: " + modules.loaded() + " (" + modules.skipped() + " already there"
                + (modules.failures().isEmpty() ? "" : ", failed: " + String.join(", ", modules.failures())) + ")");
        for (String extra : cmdline.modules()) ModuleLoader.loadWithDependencies(release, extra, log);

        while (true) {
            String reason;
            try {
                attempt(cmdline);
                reason = "the init could not be started";   // only a non-PID-1 exec failure returns
            } catch (BootFailure e) {
                reason = e.getMessage();
            } catch (HandoverException | SyscallException e) {
                reason = e.getMessage();
            } catch (RuntimeException | Error e) {
                reason = "liftoff itself failed: " + e;   // a bug must still end in a shell, not a panic
            }
            Rescue.run(reason, Report.of(cmdline, modules), log);
        }
    }

    /** One try at the boot; returns or throws only when it failed. */
    private void attempt(Cmdline cmdline) throws BootFailure, HandoverException {
        if (cmdline.breakpoint() == Cmdline.Break.PREMOUNT) {
            log.info("liftoff.break=premount: rescue shell before the root is mounted");
            Rescue.shell(log);
        }
        Path device = RootDevice.await(cmdline, log);
        RootMount.mount(device, cmdline, NEW_ROOT, log);
        String init = RootMount.chooseInit(cmdline, NEW_ROOT);
        if (cmdline.breakpoint() == Cmdline.Break.PRESWITCH) {
            log.info("liftoff.break=preswitch: rescue shell with the root mounted on " + NEW_ROOT);
            Rescue.shell(log);
        }
        List<String> args = new ArrayList<>(cmdline.initArguments());
        log.info("memory: " + Memory.summary());
        log.info("exec " + init + (args.isEmpty() ? "" : " " + String.join(" ", args)));
        log.restoreRateLimit();
        SwitchRoot.run(NEW_ROOT, init, args, List.of(), log::info);
    }

    /** Why this try failed, in words for the console. */
    static final class BootFailure extends Exception {
        BootFailure(String message) {
            super(message);
        }
    }
}
