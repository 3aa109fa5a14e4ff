package liftoff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code liftoff bench}: measurements against other systems; one subcommand per benchmark. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = BenchBootCommand.class,
        description = "Benchmarks: `liftoff bench boot` measures the boot beside other initramfs systems.")
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
