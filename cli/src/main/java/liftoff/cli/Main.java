package liftoff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code liftoff} command: a thin dispatcher; every capability lives in a library module. */
@Command(name = "liftoff",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Linux early userspace in Java: stage-1 init, image builder, cpio tool, switch-root.",
        subcommands = {
            CommandLine.HelpCommand.class,
            SwitchRootCommand.class,
            BlkidCommand.class,
            BootCommand.class,
            CpioCommand.class,
            BuildCommand.class,
            InspectCommand.class,
            DemoCommand.class,
            BenchCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command tree; tests run commands through it exactly as the launcher does. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // switch_root's INIT arguments may start with "-": everything after INIT belongs to it.
        cli.getSubcommands().get("switch-root").setStopAtPositional(true);
        return cli;
    }
}
