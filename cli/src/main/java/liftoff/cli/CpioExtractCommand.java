package liftoff.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import liftoff.cpio.Extractor;
import liftoff.cpio.ImageReader;
import liftoff.sys.Fnmatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code liftoff cpio extract}: unpack an image safely into a directory. */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = {"Unpack every segment of an image into DIR; nothing lands outside it, symlinks are never followed.",
            "PATTERNs are globs as in cpio (\"*\" matches \"/\" too); without them everything is extracted."})
final class CpioExtractCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-C", "--directory"}, paramLabel = "DIR", defaultValue = ".", description = "Extract here (default: the current directory).")
    Path dir;

    @Parameters(index = "0", paramLabel = "FILE", description = "The image (\"-\" reads stdin).")
    String file;

    @Parameters(index = "1..*", paramLabel = "PATTERN")
    List<String> patterns = new ArrayList<>();

    @Override
    public Integer call() {
        String source = "-".equals(file) ? "stdin" : file;
        try {
            Extractor.createDestination(dir);
        } catch (IOException e) {
            return CpioCommand.fail(spec, "-C " + dir, e);
        }
        List<byte[]> globs = patterns.stream().map(p -> p.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toList();
        Extractor extractor = new Extractor(dir)
                .warnings(w -> spec.commandLine().getErr().println("liftoff cpio: " + source + ": " + w))
                .filter(name -> globs.isEmpty() || globs.stream().anyMatch(g -> Fnmatch.matches(g, name)));
        try (ImageReader image = "-".equals(file) ? ImageReader.of(System.in) : ImageReader.open(Path.of(file))) {
            extractor.extract(image);
            return 0;
        } catch (FileSystemException e) {
            return CpioCommand.fail(spec, null, e);  // an entry's path under DIR, or an image that cannot be opened
        } catch (IOException | IllegalArgumentException e) {
            return CpioCommand.fail(spec, source, e);
        } finally {
            spec.commandLine().getErr().flush();
        }
    }
}
