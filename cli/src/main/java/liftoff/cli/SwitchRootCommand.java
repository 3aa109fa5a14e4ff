package liftoff.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import liftoff.handover.HandoverException;
import liftoff.handover.PivotHandover;
import liftoff.handover.SwitchRoot;
import liftoff.handover.TmpfsHandover;
import liftoff.sys.SyscallException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code liftoff switch-root}: a drop-in for util-linux switch_root, plus --pivot and --via-tmpfs. */
@Command(name = "switch-root",
        mixinStandardHelpOptions = true,
        description = {
            "Make NEWROOT the root filesystem and exec INIT in this process (it keeps the PID).",
            "Default: move /dev /proc /sys /run into NEWROOT, move NEWROOT onto /, chroot, and delete the",
            "old root's files if it is an initramfs (ramfs/tmpfs), never crossing into another mount.",
            "--pivot: pivot_root for an early userspace on a real filesystem; the old root is detached,",
            "or with --keep-old DIR stays mounted at DIR in the new root, untouched.",
            "--via-tmpfs: move the running initramfs into a new tmpfs mounted on NEWROOT and re-exec INIT",
            "there with " + TmpfsHandover.MARKER + "=1, so that the next system can use pivot_root."
        })
final class SwitchRootCommand implements Callable<Integer> {

    @Option(names = "--move", paramLabel = "DIR", description = "also move this mount (repeatable)")
    List<String> moves = new ArrayList<>();

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--pivot", description = "use pivot_root(NEWROOT, NEWROOT/PUT_OLD), then detach the old root")
        boolean pivot;

        @Option(names = "--via-tmpfs", description = "move the initramfs into a tmpfs on NEWROOT and re-exec INIT in it")
        boolean viaTmpfs;
    }

    @Option(names = "--put-old", paramLabel = "DIR", defaultValue = PivotHandover.DEFAULT_PUT_OLD,
            description = "with --pivot: where the old root is attached until detached (default ${DEFAULT-VALUE})")
    String putOld;

    @Option(names = "--keep-old", paramLabel = "DIR",
            description = "with --pivot: leave the old root mounted at DIR in the new root (a directory there, or below /run)")
    String keepOld;

    @Parameters(index = "0", paramLabel = "NEWROOT", description = "the mounted new root")
    String newRoot;

    @Parameters(index = "1", paramLabel = "INIT", description = "the program to exec, as a path inside NEWROOT")
    String init;

    @Parameters(index = "2..*", paramLabel = "ARGS", description = "arguments for INIT")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        Consumer<String> log = line -> System.err.println("switch-root: " + line);
        try {
            if (keepOld != null && (!mode.pivot || !putOld.equals(PivotHandover.DEFAULT_PUT_OLD))) {
                throw new HandoverException("--keep-old goes with --pivot and instead of --put-old");
            }
            if (mode.pivot && keepOld != null) {
                PivotHandover.keep(newRoot, init, args, moves, keepOld, log);
            } else if (mode.pivot) {
                PivotHandover.run(newRoot, init, args, moves, putOld, log);
            } else if (mode.viaTmpfs) {
                if (!moves.isEmpty()) log.accept("--move is implied with --via-tmpfs: every mount moves along");
                TmpfsHandover.run(newRoot, init, args, log);
            } else {
                SwitchRoot.run(newRoot, init, args, moves, log);
            }
        } catch (HandoverException e) {
            log.accept(e.getMessage());
            log.accept("nothing was changed");
            return 1;
        } catch (SyscallException e) {
            log.accept("failed: " + e.getMessage());
            return 1;
        }
        return 1;   // the exec failed and was reported; as PID 1 it never gets here
    }
}
