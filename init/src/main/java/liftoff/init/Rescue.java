package liftoff.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the boot goes when it cannot go on: the reason and what was tried, on the console and in
 * the kernel log, then a shell on the console. When the shell exits the boot is tried again, so a
 * person who fixed the problem (loaded a module, plugged the disk in) just types `exit`.
 */
final class Rescue {
    private static final Path SHELL = Path.of("/bin/sh");

    private Rescue() {}

    static void run(String reason, String report, Log log) {
        log.error(reason);
        log.console("\nliftoff: cannot boot: " + reason);
        if (!report.isEmpty()) log.console(report);
        shell(log);
    }

    /** A shell at a liftoff.break= point, or after a failure: busybox's when the image has it. */
    static void shell(Log log) {
        if (Files.isExecutable(SHELL)) {
            log.console("liftoff: rescue shell (" + SHELL + "); `exit` goes on with the boot.");
            ProcessBuilder pb = new ProcessBuilder(SHELL.toString()).inheritIO();
            pb.environment().put("PATH", "/bin:/sbin:/usr/bin:/usr/sbin");
            pb.environment().put("PS1", "(liftoff rescue) # ");
            try {
                int status = pb.start().waitFor();
                log.info("rescue shell exited with status " + status + ": trying the boot again");
                return;
            } catch (IOException e) {
                log.error("cannot start " + SHELL + ": " + e.getMessage() + "; using the built-in console");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        new BuiltinShell(log).run();
    }
}
