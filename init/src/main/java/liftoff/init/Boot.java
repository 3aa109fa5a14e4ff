package liftoff.init;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import liftoff.handover.HandoverException;
import liftoff.handover.PivotHandover;
import liftoff.handover.SwitchRoot;
import liftoff.handover.TmpfsHandover;
import liftoff.init.cmdline.Cmdline;
import liftoff.init.cmdline.ModuleOptions;
import liftoff.init.cmdline.RootOptions;
import liftoff.init.luks.LuksUnlock;
import liftoff.init.modules.DeviceEvents;
import liftoff.init.modules.ModuleLoader;
import liftoff.init.probe.BlockDevices;
import liftoff.init.root.DiskLinks;
import liftoff.init.root.RootDevice;
import liftoff.init.root.RootMount;
import liftoff.init.verity.VerityRoot;
import liftoff.sys.Fs;
import liftoff.sys.StatFs;
import liftoff.sys.SyscallException;

/**
 * The boot, top to bottom: API filesystems, console, command line, modules, root device, mount,
 * hand-over. Any failure lands in the rescue shell with the reason; leaving it tries again. PID 1
 * never returns from here: the kernel panics if init exits.
 */
final class Boot {
    static final String NEW_ROOT = "/newroot";
    /** How long no uevent may come before the devices count as settled. */
    private static final long SETTLE_QUIET_MS = 200;

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
        if (aotProblem.isPresent()) log.warn("AOT cache not used: " + aotProblem.get());

        ModuleOptions moduleOptions = cmdline.modules();
        ModuleLoader loader = ModuleLoader.open(KernelRelease.current(), moduleOptions.blacklist(), moduleOptions.parameters(), log);
        DeviceEvents events = DeviceEvents.listen(loader, log);   // before the walk: no device falls between
        try {
            List<String> asked = new ArrayList<>();
            for (String extra : moduleOptions.extra()) asked.addAll(loader.loadByName(extra));
            if (!asked.isEmpty()) log.info("liftoff.modules: loaded " + String.join(" ", asked));
            events.coldplug();
            loader.startList();
        } catch (RuntimeException | Error e) {
            // A bug here must not end PID 1: the root wait and the rescue shell still work without it.
            log.error("liftoff itself failed while loading modules: " + e);
        }
        ModuleLoader.Result modules = loader.result();
        log.info("modules loaded: " + modules.loaded() + " (" + modules.skipped() + " skipped"
                + (modules.failures().isEmpty() ? "" : ", failed: " + String.join(", ", modules.failures())) + ")");

        while (true) {
            String reason;
            try {
                attempt(cmdline, loader, events);
                reason = "the init could not be started";   // only a non-PID-1 exec failure returns
            } catch (BootFailure e) {
                reason = e.getMessage();
            } catch (HandoverException | SyscallException e) {
                reason = e.getMessage();
            } catch (RuntimeException | Error e) {
                reason = "liftoff itself failed: " + e;   // a bug must still end in a shell, not a panic
            }
            loader.drivers().loadEverything();   // the person at the console may need every disk
            Rescue.run(reason, Report.of(cmdline.root(), loader.result()), log);
        }
    }

    /**
     * One try at the boot; returns or throws only when it failed. Where liftoff runs decides the
     * hand-over: from an initramfs (rootfs) the new root is moved over it and the image emptied;
     * from a partition the kernel mounted (a real filesystem) it pivots and keeps the partition
     * mounted in the new root, untouched; with root=initramfs the image itself is the system and
     * moves into a tmpfs, which can be pivoted away from later.
     */
    private void attempt(Cmdline cmdline, ModuleLoader modules, DeviceEvents events) throws BootFailure, HandoverException {
        if (cmdline.breakpoint() == Cmdline.Break.PREMOUNT) {
            events.settle(SETTLE_QUIET_MS);   // the disks are there, as after udevadm settle
            log.info("liftoff.break=premount: rescue shell before the root is mounted");
            Rescue.shell(log);
        }
        RootOptions root = cmdline.root();
        if (root.initramfs()) {
            handOverTheImage(cmdline, modules);
            return;
        }
        StatFs ownRoot = Fs.statfs("/");
        boolean onPartition = !ownRoot.isRamBacked();
        if (onPartition && !root.liftoffRoot()) {
            throw new BootFailure("liftoff runs from a partition the kernel mounted (" + ownRoot.typeName() + "), not from an initramfs:"
                    + " the kernel's root= names that partition; name the real root with liftoff.root=");
        }
        LuksUnlock.openAll(cmdline.luks(), root, modules, events, log);
        VerityRoot.open(cmdline.verity(), root, modules, events, log);
        Path device = RootDevice.await(root, events, log);
        modules.drivers().rootFound();
        RootMount.mount(device, root, cmdline.fsck(), NEW_ROOT, modules, log);
        String init = RootMount.chooseInit(root, NEW_ROOT);
        linkDisks();
        breakBeforeTheSwitch(cmdline, "with the root mounted on " + NEW_ROOT);
        List<String> args = beforeTheSwitch(root, init, modules);
        if (onPartition) {
            PivotHandover.keep(NEW_ROOT, init, args, List.of(), root.oldRoot(), log.infoLines);
        } else {
            SwitchRoot.run(NEW_ROOT, init, args, List.of(), log.infoLines);   // returns or throws only when it failed
        }
    }

    /**
     * root=initramfs: no root device to find; every driver of the hardware present is loaded (the
     * system may have no udev to do it), and the image moves into a tmpfs with the init re-exec'd there.
     */
    private void handOverTheImage(Cmdline cmdline, ModuleLoader modules) throws BootFailure, HandoverException {
        modules.drivers().awaitLoads();
        String init = RootMount.chooseInit(cmdline.root(), "/");
        linkDisks();
        breakBeforeTheSwitch(cmdline, "in the image, before it moves into a tmpfs");
        List<String> args = beforeTheSwitch(cmdline.root(), init, modules);
        TmpfsHandover.run(NEW_ROOT, init, args, log.infoLines);
    }

    private void breakBeforeTheSwitch(Cmdline cmdline, String where) {
        if (cmdline.breakpoint() == Cmdline.Break.PRESWITCH) {
            log.info("liftoff.break=preswitch: rescue shell " + where);
            Rescue.shell(log);
        }
    }

    /** The last steps before any hand-over: log, let the module loads finish, pause the loader; returns the init's arguments. */
    private List<String> beforeTheSwitch(RootOptions root, String init, ModuleLoader modules) {
        List<String> args = root.initArguments();
        log.info("memory: " + Memory.summary());
        log.info("exec " + init + (args.isEmpty() ? "" : " " + String.join(" ", args)));
        modules.awaitList();
        modules.drivers().pauseForHandover();
        log.restoreRateLimit();
        return args;
    }

    /** /dev/disk/by-*, for the real root's fstab before its udev runs; a failure costs only the links. */
    private void linkDisks() {
        long start = System.nanoTime();
        try {
            int links = DiskLinks.create(BlockDevices.system());
            log.info("disk links: " + links + " under /dev/disk in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (IOException e) {
            log.warn("no /dev/disk links: " + e.getMessage());
        }
    }
}
