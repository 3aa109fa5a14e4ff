package liftoff.cli;

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

    /** Reports a failure as one line, "liftoff cpio: WHAT: what is wrong"; see {@link Errors#report}. */
    static int fail(CommandLine.Model.CommandSpec spec, Object what, Exception e) {
        return Errors.report(spec.parent(), what, e);
    }
}
