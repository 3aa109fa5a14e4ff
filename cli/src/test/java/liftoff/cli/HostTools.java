package liftoff.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real Linux tools the tests compare against. A missing tool fails the test with the
 * Debian package to install (scripts/host-packages.sh installs them), never skips it.
 */
final class HostTools {

    /** The sbin directories hold mkfs.* and blkid but are not on a normal user's PATH. */
    private static final String PATH = System.getenv("PATH") + ":/usr/sbin:/sbin";

    private HostTools() {
    }

    /** Runs {@code command} in {@code dir}; returns its stdout, failing the test on a non-zero exit. */
    static String run(Path dir, String... command) {
        return runWithInput(dir, null, command);
    }

    /** As {@link #run(Path, String...)}, feeding {@code stdin} to the command. */
    static String runWithInput(Path dir, String stdin, String... command) {
        return new String(execute(dir, stdin, command), StandardCharsets.UTF_8);
    }

    /** As {@link #run(Path, String...)}, for output that is bytes rather than UTF-8 text. */
    static byte[] runForBytes(Path dir, String... command) {
        return execute(dir, null, command);
    }

    private static byte[] execute(Path dir, String stdin, String... command) {
        String tool = command[0];
        if (!onPath(tool)) {
            fail(tool + " is not installed: install the Debian package " + packageOf(tool)
                    + " (scripts/host-packages.sh test installs what the tests need)");
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("PATH", PATH);
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.redirectErrorStream(false);
        try {
            Process process = builder.start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail(String.join(" ", command) + " failed: " + err + new String(out, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + tool, e);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : PATH.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The Debian package of each tool, as scripts/host-packages.sh maps them. */
    private static String packageOf(String tool) {
        for (List<String> entry : List.of(
                List.of("blkid", "util-linux"), List.of("sfdisk", "fdisk"), List.of("mke2fs", "e2fsprogs"),
                List.of("mkfs.xfs", "xfsprogs"), List.of("mkfs.btrfs", "btrfs-progs"),
                List.of("mkfs.vfat", "dosfstools"), List.of("mlabel", "mtools"),
                List.of("mksquashfs", "squashfs-tools"), List.of("mkfs.erofs", "erofs-utils"), List.of("mkswap", "util-linux"),
                List.of("cryptsetup", "cryptsetup-bin"), List.of("sgdisk", "gdisk"), List.of("losetup", "mount"),
                List.of("sbverify", "sbsigntool"), List.of("openssl", "openssl"))) {
            if (entry.get(0).equals(tool)) {
                return entry.get(1);
            }
        }
        return "providing " + tool;
    }
}
