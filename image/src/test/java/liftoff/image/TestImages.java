package liftoff.image;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import liftoff.image.qemu.Kernel;
import liftoff.image.qemu.Qemu;
import liftoff.image.qemu.TestBoot;

/**
 * The boot tests' images, built by {@link ImageBuilder} from the default configuration with a few
 * settings on top. A build is slow (the AOT cache is trained in a chroot of the image) and several
 * test classes boot the same configuration, so each configuration is built once per JVM (surefire
 * runs the test classes in one); the files live in one directory, deleted when the JVM exits.
 */
final class TestImages {
    /** A built image, the kernel it was built for, and whether its AOT cache was trained. */
    record Image(Path file, Kernel kernel, boolean aotCache) {
        /** QEMU booting this image with its kernel ({@link TestBoot#qemu}). */
        Qemu qemu(String append) {
            return TestBoot.qemu(kernel, file, append);
        }
    }

    private static final Map<BuildConfig, Image> BUILT = new HashMap<>();
    private static Path directory;

    private TestImages() {}

    /** The image for the newest cloud kernel with {@code settings} ("RESCUE=busybox", as in liftoff.conf). */
    static Image build(String... settings) throws IOException {
        return build(Kernel.newestInstalled(), settings);
    }

    /** The image for {@code kernel} with {@code settings}: built on the first call, the same file after. */
    static synchronized Image build(Kernel kernel, String... settings) throws IOException {
        BuildConfig config = BuildConfig.defaults().with("KERNEL_VERSION", kernel.version());
        for (String setting : settings) {
            int equals = setting.indexOf('=');
            config = config.with(setting.substring(0, equals), setting.substring(equals + 1));
        }
        Image image = BUILT.get(config);
        if (image == null) {
            Path file = directory().resolve("image-" + (BUILT.size() + 1) + ".img");
            boolean aotCache = new ImageBuilder(directory().resolve("cache"), 0, line -> { }).build(config, file).aotCache();
            image = new Image(file, kernel, aotCache);
            BUILT.put(config, image);
        }
        return image;
    }

    private static Path directory() throws IOException {
        if (directory == null) {
            Path created = Files.createTempDirectory("liftoff-test-images-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created)));
            directory = created;
        }
        return directory;
    }

    /** Best effort at exit: what cannot be deleted stays in the temporary directory. */
    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            System.err.println("liftoff tests: cannot delete " + root + ": " + e.getMessage());
        }
    }
}
