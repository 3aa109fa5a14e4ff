package liftoff.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import liftoff.init.probe.BlockDevice;
import liftoff.init.probe.BlockDevices;
import liftoff.init.probe.Partition;
import liftoff.init.probe.Probe;
import liftoff.init.probe.TagText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code liftoff blkid}: util-linux blkid's default output, from the init's own probers. */
@Command(name = "blkid",
        description = {"Identify block devices and images (TYPE, UUID, LABEL, PARTUUID...) like blkid.",
                "Prints util-linux blkid's default format; exit code 2 when nothing is identified.",
                "Unlike blkid, which passes them over in silence, a named path that cannot be probed (missing,",
                "unreadable, a directory) gets a line on stderr."},
        mixinStandardHelpOptions = true)
public final class BlkidCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DEVICE|FILE", arity = "0..*",
            description = "Devices or image files to probe; default: every device in /sys/class/block.")
    List<Path> paths = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        BlockDevices system = BlockDevices.system();
        List<Path> targets = paths;
        if (targets.isEmpty()) {
            targets = new ArrayList<>();
            for (BlockDevice device : system.list()) {
                targets.add(device.node());
            }
        }
        boolean found = false;
        for (Path path : targets) {
            try {
                String line = describe(path, system);
                if (line != null) {
                    out.println(line);
                    found = true;
                }
            } catch (IOException e) {
                if (!paths.isEmpty()) {  // like blkid, listing all devices passes unreadable ones over
                    Errors.report(spec, path, e);
                }
            }
        }
        out.flush();
        return found ? 0 : 2;  // blkid's code for "nothing identified"
    }

    /** One blkid line for {@code path}, or null when nothing on it is recognised. */
    private static String describe(Path path, BlockDevices system) throws IOException {
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, String> tag : Probe.tags(path, partitionEntry(path, system)).entrySet()) {
            append(line, tag.getKey(), tag.getValue());
        }
        return line.isEmpty() ? null : path + ":" + line;
    }

    /** For a partition's device node, its entry in the parent disk's table (via sysfs). */
    private static Partition partitionEntry(Path path, BlockDevices system) throws IOException {
        if (!Files.isRegularFile(path) && Files.exists(path)) {
            long rdev = (Long) Files.getAttribute(path, "unix:rdev");
            // glibc's major()/minor() split of a 64-bit dev_t.
            int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L));
            int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L));
            BlockDevice device = system.byNumber(major, minor);
            if (device != null) {
                return system.partitionEntry(device);
            }
        }
        return null;
    }

    /**
     * blkid's safe_print: the value in double quotes, its bytes as they are on disk made printable
     * ASCII the way cat -v does (M- for bytes >= 128, ^X for control characters), '"' and '\'
     * escaped. A FAT label's code-page bytes print so too, as blkid prints them.
     */
    private static void append(StringBuilder line, String name, String value) {
        line.append(' ').append(name).append("=\"");
        for (byte b : TagText.bytes(value)) {
            int c = b & 0xff;
            if (c >= 128) {
                line.append("M-");
                c -= 128;
            }
            if (c < 32 || c == 0x7f) {
                line.append('^');
                c ^= 0x40;
            }
            if (c == '"' || c == '\\') {
                line.append('\\');
            }
            line.append((char) c);
        }
        line.append('"');
    }
}
