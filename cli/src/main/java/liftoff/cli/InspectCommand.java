package liftoff.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import liftoff.image.uki.UkiInspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code liftoff inspect}: what a unified kernel image holds, whoever built it. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Show what a unified kernel image holds and who signed it.",
            "Any PE/COFF image is read: its sections (name, address, size, raw size, file offset), .cmdline, .uname,",
            ".osrel's PRETTY_NAME, and who signed it with whether its Authenticode hash and signature hold, or \"unsigned\"."
        })
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the .efi file")
    Path file;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            spec.commandLine().getErr().println("liftoff inspect: " + file + ": no such file");
            return 2;
        }
        try {
            PrintWriter out = spec.commandLine().getOut();
            out.print(UkiInspection.of(file).report());
            out.flush();
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("liftoff inspect: " + e.getMessage());
            return 1;
        }
    }
}
