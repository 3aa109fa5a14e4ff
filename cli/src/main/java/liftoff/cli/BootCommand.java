package liftoff.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import liftoff.image.qemu.BootTimeline;
import liftoff.image.qemu.Console;
import liftoff.image.qemu.DemoRoot;
import liftoff.image.qemu.DiskBus;
import liftoff.image.qemu.Kernel;
import liftoff.image.qemu.Qemu;
import liftoff.image.qemu.QemuExit;
import liftoff.image.qemu.QemuProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liftoff boot}: boots an initramfs in QEMU against root disks and prints the boot timeline. */
@Command(name = "boot", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Boot an initramfs in QEMU (TCG) and print the boot timeline.",
                "The serial console is on stdout; lines typed on stdin go to the guest.",
                "Exit status: 0 when the real root's init ran (REAL-ROOT on the console), 1 when not, 2 on setup errors."})
final class BootCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--image", required = true, paramLabel = "IMAGE", description = "The initramfs.")
    Path image;

    @Option(names = "--disk", paramLabel = "FILE", description = "A raw disk image to attach (repeatable).")
    List<Path> disks = new ArrayList<>();

    @Option(names = "--demo-root", paramLabel = "FILE",
            description = "Write liftoff's demo root disk (ext4, label liftoff-root) to FILE, replacing it, and attach it first.")
    Path demoRoot;

    @Option(names = "--kernel", paramLabel = "FILE", description = "The kernel (default: the newest /boot/vmlinuz-*).")
    Path kernel;

    @Option(names = "--append", paramLabel = "ARGS",
            description = "Kernel command line words after '" + Qemu.BASE_CMDLINE + "', e.g. 'root=/dev/vda'.")
    String append = "";

    @Option(names = "--icount", description = "Deterministic virtual time (1 instruction = 1 ns; adds idle=poll).")
    boolean icount;

    @Option(names = "--timeout", paramLabel = "S", description = "Kill QEMU after S host seconds (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 300;

    @Option(names = "--cpu", paramLabel = "MODEL", description = "Guest CPU model, e.g. max, qemu64 (default: ${DEFAULT-VALUE}).")
    String cpu = "max";

    @Option(names = "--machine", paramLabel = "pc|q35", converter = MachineConverter.class,
            description = "Machine type (default: pc).")
    Qemu.Machine machine = Qemu.Machine.PC;

    @Option(names = "--bus", paramLabel = "BUS", converter = BusConverter.class,
            description = "How the disks attach: virtio-blk (default), virtio-scsi, nvme, ide, ahci (with --machine q35).")
    DiskBus bus = DiskBus.VIRTIO_BLK;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        QemuExit exit;
        try {
            exit = boot(out);
        } catch (IOException e) {
            Errors.report(spec, null, e);
            return 2;
        }
        BootTimeline timeline = exit.timeline();
        out.println();
        out.println("Boot timeline (kernel timestamps; "
                + (icount ? "virtual time, 1 instruction = 1 ns" : "TCG time, not real hardware") + "):");
        out.print(timeline.table());
        if (timeline.reachedRealInit()) {
            out.printf("The real init ran. QEMU took %.1f s of host time.%n", exit.wall().toMillis() / 1000.0);
            return 0;
        }
        String why = exit.timedOut() ? "QEMU was killed after the " + timeoutSeconds + " s timeout"
                : "QEMU exited with status " + exit.status();
        out.println("FAILED: the real init never ran (" + why + ").");
        spec.commandLine().getErr().print(exit.errors());
        return 1;
    }

    private QemuExit boot(PrintWriter out) throws IOException, InterruptedException {
        Qemu qemu = new Qemu(kernel != null ? kernel : Kernel.newestInstalled().image())
                .initrd(image).append(append).icount(icount).cpu(cpu).machine(machine)
                .timeout(Duration.ofSeconds(timeoutSeconds))
                .onConsoleLine(out::println);
        if (demoRoot != null) {
            DemoRoot.standard().writeTo(demoRoot);
            qemu.disk(demoRoot, bus);
        }
        for (Path disk : disks) qemu.disk(disk, bus);
        try (QemuProcess vm = qemu.start()) {
            forwardKeyboard(vm.console());
            return vm.waitFor();
        }
    }

    /** Lines typed on our stdin go to the guest, for a rescue shell or a passphrase prompt. */
    private static void forwardKeyboard(Console console) {
        Thread.ofPlatform().daemon().name("keyboard").start(() -> {
            try (BufferedReader keyboard = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = keyboard.readLine()) != null; ) console.type(line + "\n");
            } catch (IOException e) {
                // QEMU exited, so there is nobody left to type to.
            }
        });
    }

    static final class BusConverter implements ITypeConverter<DiskBus> {
        @Override
        public DiskBus convert(String value) {
            return DiskBus.byCliName(value);
        }
    }

    static final class MachineConverter implements ITypeConverter<Qemu.Machine> {
        @Override
        public Qemu.Machine convert(String value) {
            return Qemu.Machine.valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
