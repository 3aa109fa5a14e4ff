package liftoff.cli;

import java.util.concurrent.Callable;
import liftoff.cpio.Compression;
import liftoff.image.BuildConfig;
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
public final class Main implements Callable<Integer> {
    /** Usage columns when the terminal's width is unknown (output to a pipe or a file). */
    static final int USAGE_WIDTH = 100;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No verb is a usage error, as with any other missing argument: the usage goes to stderr. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command tree; tests run commands through it exactly as the launcher does. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // switch_root's INIT arguments may start with "-": everything after INIT belongs to it.
        cli.getSubcommands().get("switch-root").setStopAtPositional(true);
        cli.setUsageHelpWidth(USAGE_WIDTH).setUsageHelpAutoWidth(true);
        cli.setExecutionExceptionHandler(new Errors());
        cli.registerConverter(Compression.Setting.class, value -> converted(value, Compression::parse));
        cli.registerConverter(BuildConfig.Rescue.class, value -> converted(value, BuildConfig.Rescue::parse));
        cli.registerConverter(BuildConfig.Include.class, value -> converted(value, BuildConfig.Include::parse));
        return cli;
    }

    /** A parser that throws for a bad value, as picocli's converter: "Invalid value for option '--x': WHY". */
    private interface Parser<T> {
        T parse(String value) throws Exception;
    }

    private static <T> T converted(String value, Parser<T> parser) {
        try {
            return parser.parse(value);
        } catch (Exception e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
