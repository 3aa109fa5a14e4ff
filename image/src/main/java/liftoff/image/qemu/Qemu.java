package liftoff.image.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Boots a kernel and initramfs in qemu-system-x86_64 with TCG, the serial console on QEMU's
 * stdin/stdout, and nothing else attached unless asked for ({@code -nodefaults}).
 *
 * <pre>{@code
 * QemuExit exit = new Qemu(Kernel.newestInstalled().image())
 *         .initrd(image).disk(rootDisk).icount(true)
 *         .append("root=/dev/vda")
 *         .run();
 * BootTimeline timeline = exit.timeline();
 * }</pre>
 *
 * KVM is never used: on the test machines /dev/kvm exists but hangs (nested virtualisation).
 *
 * <p>{@link #uefi} boots UEFI firmware instead of a kernel: OVMF starts whatever the disks hold
 * (a unified kernel image as \EFI\BOOT\BOOTX64.EFI on an {@link EspImage}), and prints its own
 * messages on the same serial console.
 */
public final class Qemu {
    public static final String BINARY = "qemu-system-x86_64";

    /**
     * Always on the kernel command line: the console on the serial port, a panic ends the run at
     * once (with -no-reboot, QEMU exits) instead of hanging, and timestamps on every kernel line
     * for the {@link BootTimeline}.
     */
    public static final String BASE_CMDLINE = "console=ttyS0 panic=-1 printk.time=1";

    /** Guest memory: room for an initramfs with a Java runtime (~100 MB unpacked) and the JVM. */
    private static final String MEMORY_MIB = "1024";

    public enum Machine {
        PC("pc"),
        Q35("q35");

        private final String qemuName;

        Machine(String qemuName) {
            this.qemuName = qemuName;
        }
    }

    private record Disk(Path file, DiskBus bus) {}

    private final Path kernel;
    private final Ovmf firmware;
    private final Path firmwareVars;
    private Path initrd;
    private String append = "";
    private Machine machine = Machine.PC;
    private String cpu = "max";
    private boolean icount;
    private final List<Disk> disks = new ArrayList<>();
    private final List<String> hotplugPorts = new ArrayList<>();
    private Path monitorSocket;
    private Duration timeout = Duration.ofMinutes(5);
    private Consumer<String> consoleListener = line -> {};

    public Qemu(Path kernel) {
        this(kernel, null, null);
    }

    private Qemu(Path kernel, Ovmf firmware, Path firmwareVars) {
        this.kernel = kernel;
        this.firmware = firmware;
        this.firmwareVars = firmwareVars;
    }

    /**
     * Boots {@code firmware} on a q35 machine, with its variable store copied afresh to
     * {@code vars} at each {@link #start} (the guest writes to it; the template stays as it is).
     * Kernel, initrd and command line come from the disks, not from QEMU.
     */
    public static Qemu uefi(Ovmf firmware, Path vars) {
        return new Qemu(null, firmware, vars).machine(Machine.Q35);
    }

    public Qemu initrd(Path image) {
        this.initrd = image;
        return this;
    }

    /** Kernel command line words added after {@link #BASE_CMDLINE}; replaces earlier ones. */
    public Qemu append(String words) {
        this.append = words;
        return this;
    }

    public Qemu machine(Machine machine) {
        this.machine = machine;
        return this;
    }

    /** The guest CPU model: "max" (default) or e.g. "qemu64", a baseline x86-64 without AVX. */
    public Qemu cpu(String model) {
        this.cpu = model;
        return this;
    }

    /**
     * Deterministic virtual time: one guest instruction is one virtual nanosecond, so timestamps
     * count instructions and repeat within a few ms from run to run. {@code idle=poll} goes with
     * it: with icount and sleep=off, a halted guest would skip ahead by however long the host took,
     * which spreads the times by about 0.2 s (bench/boot/notes.md).
     */
    public Qemu icount(boolean on) {
        this.icount = on;
        return this;
    }

    /** Attaches a raw disk image on virtio-blk. */
    public Qemu disk(Path file) {
        return disk(file, DiskBus.VIRTIO_BLK);
    }

    public Qemu disk(Path file, DiskBus bus) {
        disks.add(new Disk(file, bus));
        return this;
    }

    /**
     * An empty PCIe slot ({@code pcie-root-port}) called {@code id}, for a device added later through
     * the {@link Monitor} ({@code device_add ...,bus=ID}); q35 only: the pc machine has no PCIe.
     */
    public Qemu hotplugPort(String id) {
        hotplugPorts.add(id);
        return this;
    }

    /** Serves the human monitor on this unix socket ({@link QemuProcess#monitor}). */
    public Qemu monitor(Path socket) {
        this.monitorSocket = socket;
        return this;
    }

    /** Host time after which QEMU is killed, counted from {@link #start}. Default 5 minutes. */
    public Qemu timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Receives each console line as the guest prints it, without the line end, on the console's reader thread. */
    public Qemu onConsoleLine(Consumer<String> listener) {
        this.consoleListener = listener;
        return this;
    }

    /** The kernel command line QEMU passes: the base, idle=poll under icount, then the appended words. */
    public String kernelCmdline() {
        String cmdline = BASE_CMDLINE + (icount ? " idle=poll" : "");
        return append.isBlank() ? cmdline : cmdline + " " + append.strip();
    }

    /** The full argv, the binary first. */
    public List<String> commandLine() {
        boolean smm = firmware != null && firmware.secureBoot();
        List<String> argv = new ArrayList<>(List.of(BINARY,
                "-accel", "tcg",
                "-machine", machine.qemuName + (smm ? ",smm=on" : ""),
                "-cpu", cpu,
                "-m", MEMORY_MIB,
                "-smp", "1",
                "-nodefaults", "-display", "none", "-no-reboot",
                "-serial", "stdio"));
        if (firmware != null) {
            // Secure Boot firmware keeps its variables in flash only SMM code may write.
            if (smm) argv.addAll(List.of("-global", "driver=cfi.pflash01,property=secure,value=on"));
            argv.addAll(List.of("-drive", "if=pflash,format=raw,readonly=on,file=" + firmware.code().toString().replace(",", ",,"),
                    "-drive", "if=pflash,format=raw,file=" + firmwareVars.toString().replace(",", ",,")));
        } else {
            argv.addAll(List.of("-kernel", kernel.toString()));
            if (initrd != null) argv.addAll(List.of("-initrd", initrd.toString()));
            argv.addAll(List.of("-append", kernelCmdline()));
        }
        if (icount) argv.addAll(List.of("-icount", "shift=0,sleep=off"));
        if (monitorSocket != null) argv.addAll(List.of("-monitor", "unix:" + monitorSocket + ",server=on,wait=off"));
        for (int i = 0; i < hotplugPorts.size(); i++) {
            argv.addAll(List.of("-device", "pcie-root-port,id=" + hotplugPorts.get(i) + ",chassis=" + (i + 1)));
        }
        Set<DiskBus> buses = new LinkedHashSet<>();
        for (Disk disk : disks) {
            if (buses.add(disk.bus)) argv.addAll(disk.bus.controller());
        }
        int[] perBus = new int[DiskBus.values().length];
        for (int i = 0; i < disks.size(); i++) {
            Disk disk = disks.get(i);
            String id = "d" + i;
            // QEMU splits option values at commas; a comma in a file name is written twice.
            String file = disk.file.toString().replace(",", ",,");
            argv.addAll(List.of("-drive", "file=" + file + ",format=raw,if=none,id=" + id));
            argv.addAll(disk.bus.device(id, perBus[disk.bus.ordinal()]++));
        }
        return argv;
    }

    /**
     * Starts QEMU. Fails before starting when QEMU, the kernel, the initramfs or a disk is missing,
     * with a message that says which (QEMU's own errors about them are less direct).
     */
    public QemuProcess start() throws IOException {
        Path binary = HostTools.require(BINARY, "qemu-system-x86");
        if (firmware != null) {
            requireFile(firmware.code(), "firmware (apt-get install " + Ovmf.DEBIAN_PACKAGE + ")");
            requireFile(firmware.varsTemplate(), "firmware variables (apt-get install " + Ovmf.DEBIAN_PACKAGE + ")");
            Files.copy(firmware.varsTemplate(), firmwareVars, StandardCopyOption.REPLACE_EXISTING);
        } else {
            requireFile(kernel, "kernel");
        }
        if (initrd != null) requireFile(initrd, "initramfs");
        for (Disk disk : disks) requireFile(disk.file, "disk image");
        List<String> argv = commandLine();
        argv.set(0, binary.toString());
        return new QemuProcess(new ProcessBuilder(argv).start(), timeout, consoleListener, monitorSocket);
    }

    /** Starts QEMU and waits until it exits or the timeout kills it. */
    public QemuExit run() throws IOException, InterruptedException {
        try (QemuProcess process = start()) {
            return process.waitFor();
        }
    }

    private static void requireFile(Path file, String what) throws IOException {
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new IOException(what + " " + file + " is missing or unreadable");
        }
    }
}
