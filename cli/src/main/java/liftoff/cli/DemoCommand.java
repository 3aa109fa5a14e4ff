package liftoff.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import liftoff.image.BuildConfig;
import liftoff.image.ImageBuilder;
import liftoff.image.JavaRuntime;
import liftoff.image.qemu.Kernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code liftoff demo}: the whole story with nothing to configure: host packages, an initramfs for
 * the installed guest kernel, a small ext4 root disk, a QEMU boot, the timeline.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Build a demo initramfs and root disk, boot them in QEMU and print the boot timeline.",
                "Installs what is missing (as root on Debian), builds an initramfs with the Java init for the",
                "newest installed kernel and a root disk whose /sbin/init prints a banner, its PID and the",
                "mount table, and boots both."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--work", paramLabel = "DIR", description = "where the image and disk go (default ${DEFAULT-VALUE})",
            defaultValue = "/var/tmp/liftoff-demo")
    Path work;

    @Override
    public Integer call() throws IOException, InterruptedException {
        int packages = installHostPackages();
        if (packages != 0) return packages;
        Kernel kernel = Kernel.newestInstalled();
        Files.createDirectories(work);
        Path image = work.resolve("initrd.img");
        Path disk = work.resolve("root.img");
        System.out.println("liftoff demo: building " + image + " for kernel " + kernel.version());
        BuildConfig config = BuildConfig.defaults().withKernelVersion(kernel.version(), "the newest kernel in /boot, which QEMU boots").withRescue(BuildConfig.Rescue.BUSYBOX);
        ImageBuilder builder = new ImageBuilder(JavaRuntime.defaultCacheDir(System.getenv(), System.getProperty("user.home")),
                ImageBuilder.sourceDateEpoch(), line -> System.out.println("liftoff build: " + line));
        ImageBuilder.Result result = builder.build(config, image);
        System.out.print(result.plan().sizeSummary());
        System.out.println("liftoff demo: booting it in QEMU (TCG, deterministic virtual time) with the demo root " + disk);
        return Main.commandLine().execute("boot", "--image", image.toString(), "--demo-root", disk.toString(),
                "--kernel", kernel.image().toString(), "--icount", "--append", "root=LABEL=liftoff-root");
    }

    /** scripts/host-packages.sh demo: apt-get as root on Debian, else the exact command and exit 2. */
    private static int installHostPackages() throws IOException, InterruptedException {
        String home = System.getProperty("liftoff.home");
        if (home == null) return 0;   // not started by ./liftoff: the caller set the host up
        Process p = new ProcessBuilder(Path.of(home, "scripts", "host-packages.sh").toString(), "demo").inheritIO().start();
        return p.waitFor() == 0 ? 0 : 2;
    }
}
