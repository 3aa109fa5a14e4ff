package liftoff.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code liftoff cpio}: the verbs live in CpioCreateCommand, CpioListCommand and CpioExtractCommand. */
@Command(name = "cpio",
        mixinStandardHelpOptions = true,
        description = "Create, list and extract initramfs images (newc/crc cpio, concatenated, compressed).",
        subcommands = {CpioCreateCommand.class, CpioListCommand.class, CpioExtractCommand.class})
final class CpioCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reports a failure as one line, "liftoff cpio: SUBJECT: message", never a stack trace; returns exit status 1. */
    static int fail(CommandLine.Model.CommandSpec spec, Object subject, Exception e) {
        PrintWriter err = spec.commandLine().getErr();
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (e instanceof java.nio.file.NoSuchFileException) message = "no such file";
        err.println("liftoff cpio: " + subject + ": " + message);
        err.flush();
        return 1;
    }
}
