package liftoff.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import liftoff.cpio.Entry;
import liftoff.cpio.ImageReader;
import liftoff.cpio.Modes;
import liftoff.cpio.NamedOutputStream;
import liftoff.cpio.Segment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code liftoff cpio list}: names (raw bytes, one a line), {@code cpio -tv} lines, or the segment table. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the entries of every segment of an image (\"-\" reads stdin).")
final class CpioListCommand implements Callable<Integer> {
    private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM ppd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM ppd  yyyy", Locale.ROOT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-l", "--long"}, description = "Mode, links, numeric owner, size, mtime and link target, like cpio -tvn.")
    boolean longFormat;

    @Option(names = "--segments", description = "Instead of entries, print each segment's offset, compression, sizes and entry count.")
    boolean segments;

    @Parameters(paramLabel = "FILE")
    String file;

    @Override
    public Integer call() {
        try (NamedOutputStream out = Output.stdout();
             ImageReader image = "-".equals(file) ? ImageReader.of(System.in) : ImageReader.open(Path.of(file))) {
            Instant now = Instant.now();
            for (Entry e; (e = image.next()) != null; ) {
                if (segments) continue;
                if (longFormat) out.write(longLine(e, now).getBytes(StandardCharsets.UTF_8));
                out.write(e.name());
                if (longFormat && e.isSymlink()) {
                    out.write(" -> ".getBytes(StandardCharsets.US_ASCII));
                    out.write(image.smallBody());
                }
                out.write('\n');
            }
            if (segments) printSegments(image, out);
        } catch (FileSystemException e) {
            return CpioCommand.fail(spec, null, e);  // stdout, or an image that cannot be opened: it names which
        } catch (IOException | IllegalArgumentException e) {
            return CpioCommand.fail(spec, "-".equals(file) ? "stdin" : file, e);
        }
        return 0;
    }

    /** GNU cpio's long_format with numeric ids: year instead of time for mtimes over 6 months old or in the future. */
    private static String longLine(Entry e, Instant now) {
        Instant mtime = Instant.ofEpochSecond(e.mtime());
        Duration age = Duration.between(mtime, now);
        boolean old = age.isNegative() || age.getSeconds() > 6L * 30 * 24 * 60 * 60;
        String when = (old ? OLD : RECENT).format(mtime.atZone(ZoneId.systemDefault()));
        String size = e.isDevice() ? String.format("%3d, %3d", e.rdevMajor(), e.rdevMinor()) : String.format("%8d", e.size());
        return String.format("%s %3d %-8d %-8d %s %s ", Modes.string(e.mode()), e.nlink(), e.uid(), e.gid(), size, when);
    }

    private static void printSegments(ImageReader image, OutputStream out) throws IOException {
        StringBuilder sb = new StringBuilder(String.format("%-7s %10s %-11s %12s %12s %8s%n",
                "segment", "offset", "compression", "compressed", "unpacked", "entries"));
        for (Segment s : image.segments()) {
            sb.append(String.format("%-7d %10d %-11s %12d %12d %8d%n",
                    s.index(), s.offset(), s.compression().label(), s.compressedSize(), s.unpackedSize(), s.entries()));
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
