package liftoff.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import liftoff.cpio.ArchivePlan;
import liftoff.cpio.Compression;
import liftoff.cpio.CpioWriter;
import liftoff.cpio.Format;
import liftoff.cpio.NamedOutputStream;
import liftoff.cpio.SourceDateEpoch;
import liftoff.cpio.Spec;
import liftoff.cpio.TreeSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code liftoff cpio create}: one archive from directories and/or a gen_init_cpio spec. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Write a cpio archive of the DIRs' contents (sorted, reproducible) and/or a gen_init_cpio spec.",
            "Mtimes are clamped to SOURCE_DATE_EPOCH when it is set."})
final class CpioCreateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here (default: stdout).")
    Path output;

    @Option(names = "--compress", paramLabel = "ALG[:LEVEL]", defaultValue = "none",
            description = "none, gzip[:1-9], zstd[:1-19], xz[:0-9] (CRC32 check) or lz4 (legacy frame). Default: ${DEFAULT-VALUE}.")
    String compress;

    @Option(names = "--owner", paramLabel = "UID:GID", description = "Give every entry this owner, e.g. 0:0.")
    String owner;

    @Option(names = "--spec", paramLabel = "FILE", description = "Add the entries of a gen_init_cpio spec file.")
    Path specFile;

    @Option(names = "--format", defaultValue = "newc", description = "newc or crc. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--append", description = "Add the archive as a new segment at the end of the existing -o FILE.")
    boolean append;

    @Parameters(paramLabel = "DIR", arity = "0..*", description = "Directories whose contents become the archive's top level.")
    List<Path> dirs = new ArrayList<>();

    @Override
    public Integer call() {
        try {
            Compression.Setting compression = parseCompression();
            Format fmt = parseFormat();
            if (append && output == null) throw new IllegalArgumentException("--append needs -o FILE");
            ArchivePlan plan = plan();
            if (output == null) {
                write(plan, compression, fmt, Output.stdout());
            } else if (append) {
                appendTo(plan, compression, fmt);
            } else {
                replace(plan, compression, fmt);
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            // Each names what it is about: a FileSystemException its path (stdout, the -o FILE, a DIR
            // or a file in it), the others in their message (a spec's FILE:LINE, an option).
            return CpioCommand.fail(spec, null, e);
        }
    }

    private Compression.Setting parseCompression() {
        try {
            return Compression.parse(compress);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--compress: " + e.getMessage(), e);
        }
    }

    private Format parseFormat() {
        Format f = switch (format.toLowerCase(Locale.ROOT)) {
            case "newc" -> Format.NEWC;
            case "crc" -> Format.CRC;
            default -> throw new IllegalArgumentException("--format must be newc or crc, not " + format);
        };
        return f;
    }

    private ArchivePlan plan() throws IOException {
        ArchivePlan plan = new ArchivePlan();
        OptionalLong epoch = SourceDateEpoch.fromEnvironment();
        long defaultMtime = epoch.orElse(0);
        if (epoch.isPresent()) plan.clampMtime(defaultMtime);
        if (owner != null) {
            String[] ids = owner.split(":", 2);
            try {
                plan.owner(Long.parseLong(ids[0]), Long.parseLong(ids.length > 1 ? ids[1] : ids[0]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--owner must be UID:GID in numbers, not " + owner);
            }
        }
        if (dirs.isEmpty() && specFile == null) throw new IllegalArgumentException("nothing to archive: give DIRs or --spec FILE");
        for (Path d : dirs) TreeSource.addTree(plan, d);
        if (specFile != null) Spec.addSpec(plan, specFile, defaultMtime);
        return plan;
    }

    /** Writes a temporary file beside -o FILE and renames it into place: a failure never leaves half an image there. */
    private void replace(ArchivePlan plan, Compression.Setting compression, Format fmt) throws IOException {
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp" + ProcessHandle.current().pid());
        NamedOutputStream out = Output.open(tmp, output);  // when this fails there is no temporary file to remove
        try {
            write(plan, compression, fmt, out);
            try {
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw NamedOutputStream.failure(output, e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The kernel starts an uncompressed archive only at a 4-byte boundary: pad the old image with NULs. */
    private void appendTo(ArchivePlan plan, Compression.Setting compression, Format fmt) throws IOException {
        long size = Files.size(output);
        OutputStream out = Output.open(output, output, StandardOpenOption.APPEND);
        out.write(new byte[(int) (-size & 3)]);
        write(plan, compression, fmt, out);
    }

    private static void write(ArchivePlan plan, Compression.Setting compression, Format fmt, OutputStream sink) throws IOException {
        try (CpioWriter w = new CpioWriter(compression.open(sink), fmt)) {
            plan.writeTo(w);
        }
    }
}
