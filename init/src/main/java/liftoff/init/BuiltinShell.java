package liftoff.init;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import liftoff.handover.HandoverException;
import liftoff.handover.MountInfo;
import liftoff.handover.SwitchRoot;
import liftoff.init.modules.ModuleLoader;
import liftoff.init.probe.BlockDevice;
import liftoff.init.probe.BlockDevices;
import liftoff.init.probe.Filesystem;
import liftoff.init.probe.Probe;
import liftoff.sys.KernelLog;
import liftoff.sys.Mounts;
import liftoff.sys.Processes;

/**
 * A small console for images without busybox: enough to look around (ls, cat, dmesg, mount,
 * blkid), fix the usual problems (modprobe, mount) and leave (switch-root, reboot, poweroff, or
 * exit to try the boot again).
 */
final class BuiltinShell {
    private static final String HELP = """
            commands: ls [DIR]  cat FILE  dmesg  mount [DEV DIR [TYPE [OPTIONS]]]  blkid  modprobe NAME
                      switch-root NEWROOT INIT [ARGS]  reboot  poweroff  exit (try the boot again)  help""";

    private final Log log;
    private final PrintStream out = System.out;

    BuiltinShell(Log log) {
        this.log = log;
    }

    void run() {
        log.console("liftoff: built-in rescue console (no /bin/sh in this image). Type help.");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            out.print("(liftoff) # ");
            out.flush();
            String line;
            try {
                line = in.readLine();
            } catch (IOException e) {
                line = null;
            }
            if (line == null) {
                pause();   // no console input at all: retry the boot now and then instead of spinning
                return;
            }
            String[] words = line.trim().split("\\s+");
            if (words[0].isEmpty()) continue;
            if (words[0].equals("exit")) return;
            try {
                execute(words[0], Arrays.copyOfRange(words, 1, words.length));
            } catch (IOException | HandoverException | RuntimeException e) {
                out.println(words[0] + ": " + e.getMessage());
            }
        }
    }

    private void execute(String command, String[] args) throws IOException, HandoverException {
        switch (command) {
            case "help" -> out.println(HELP);
            case "ls" -> list(Path.of(args.length > 0 ? args[0] : "."));
            case "cat" -> out.print(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
            case "dmesg" -> out.print(KernelLog.readAll());
            case "mount" -> mount(args);
            case "blkid" -> blkid();
            case "modprobe" -> modprobe(args[0]);
            case "switch-root" -> SwitchRoot.run(args[0], args[1], List.of(Arrays.copyOfRange(args, 2, args.length)),
                    List.of(), log::warn);
            case "reboot" -> halt(Processes.RB_AUTOBOOT);
            case "poweroff" -> halt(Processes.RB_POWER_OFF);
            default -> out.println(command + ": unknown command; type help");
        }
    }

    private void list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                String kind = Files.isSymbolicLink(p) ? "l" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "d" : "-";
                String size = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Long.toString(Files.size(p)) : "";
                out.printf("%s %10s %s%n", kind, size, p.getFileName());
            }
        }
    }

    private void mount(String[] args) throws IOException {
        if (args.length == 0) {
            for (MountInfo m : MountInfo.read()) out.println(m.source() + " on " + m.mountPoint() + " type " + m.fsType());
            return;
        }
        String type = args.length > 2 ? args[2] : null;
        if (type == null) {
            Filesystem fs = Probe.filesystem(Path.of(args[0]));
            if (fs == null) throw new IOException("cannot tell the filesystem of " + args[0] + ": give its type");
            type = fs.type();
        }
        Mounts.mount(args[0], args[1], type, 0, args.length > 3 ? args[3] : null);
    }

    private void blkid() throws IOException {
        for (BlockDevice device : BlockDevices.system().list()) {
            Filesystem fs = Probe.filesystem(device.node());
            StringBuilder line = new StringBuilder(device.node().toString()).append(':');
            if (fs != null) for (Map.Entry<String, String> tag : fs.tags().entrySet()) {
                line.append(' ').append(tag.getKey()).append("=\"").append(tag.getValue()).append('"');
            }
            out.println(line);
        }
    }

    private void modprobe(String name) {
        ModuleLoader loader = ModuleLoader.open(KernelRelease.current(), List.of(), Map.of(), log);
        loader.loadByName(name);
        ModuleLoader.Result r = loader.result();
        out.println(name + ": " + r.loaded() + " loaded, " + r.skipped() + " skipped"
                + (r.failures().isEmpty() ? "" : ", failed: " + r.failures()));
    }

    private static void halt(int how) {
        Processes.sync();
        Processes.reboot(how);
    }

    private static void pause() {
        try {
            Thread.sleep(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
