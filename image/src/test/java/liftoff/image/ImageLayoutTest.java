package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLayoutTest {
    static final long EPOCH = 1_700_000_000L;
    static final String KVER = InstalledKernel.VERSION;

    @TempDir static Path shared;
    static Path jar;
    static Path firmware;
    static BuildConfig config;
    static ImageLayout.Plan plan;

    @BeforeAll
    static void planOnce() throws IOException {
        jar = TestJars.jar(shared.resolve("jar"), "Hello", """
                public class Hello {
                    public static void main(String[] args) {
                        System.out.println("hello from " + args.length + " " + System.getProperty("java.home"));
                    }
                }
                """);
        firmware = Files.createDirectories(shared.resolve("firmware/intel-ucode"));
        Files.writeString(firmware.resolve("06-55-04"), "ucode");
        firmware = firmware.getParent();
        config = BuildConfig.defaults()
                .with("JDK", ElfTest.JDK.toString())
                .with("KERNEL_VERSION", KVER)
                .with("RESCUE", "busybox")
                .with("INCLUDE", "/etc/os-release:/etc/initrd-release")
                .with("FIRMWARE_DIR", firmware.toString());
        plan = new ImageLayout(JavaRuntimeTest.CACHE, EPOCH).plan(config, jar, shared.resolve("staging"));
    }

    @Test
    void theSpecHasEverythingTheInitNeeds() throws IOException {
        Path staging = plan.stagingDir();
        Set<String> lines = new HashSet<>(Arrays.asList(Listing.of(plan.entries()).split("\n")));
        for (String expected : List.of(
                "file /init " + staging.resolve("root/init") + " 0755 0 0",
                "file /jvm.args " + staging.resolve("root/jvm.args") + " 0644 0 0",
                "file /jre/bin/java " + staging.resolve("root/jre/bin/java") + " 0755 0 0",
                "nod /dev/console 0600 0 0 c 5 1",
                "nod /dev/null 0666 0 0 c 1 3",
                "dir /proc 0755 0 0", "dir /sys 0755 0 0", "dir /run 0755 0 0", "dir /newroot 0755 0 0",
                "dir /tmp 1777 0 0",
                // merged /usr as on this host, the loader at its PT_INTERP path, libjli reachable without /proc
                "slink /lib usr/lib 0777 0 0",
                "slink /lib64 usr/lib64 0777 0 0",
                "slink /usr/lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 0777 0 0",
                "file /usr/lib/x86_64-linux-gnu/libc.so.6 /usr/lib/x86_64-linux-gnu/libc.so.6 0755 0 0",
                "slink /usr/lib/x86_64-linux-gnu/libjli.so /jre/lib/libjli.so 0777 0 0",
                "file /usr/lib/modules/" + KVER + "/kernel/drivers/block/virtio_blk.ko /usr/lib/modules/" + KVER
                        + "/kernel/drivers/block/virtio_blk.ko 0644 0 0",
                "file /usr/lib/modules/" + KVER + "/liftoff.load " + staging.resolve("modules/liftoff.load") + " 0644 0 0",
                "file /usr/lib/modules/" + KVER + "/kernel/fs/squashfs/squashfs.ko /usr/lib/modules/" + KVER
                        + "/kernel/fs/squashfs/squashfs.ko 0644 0 0",
                "file /bin/busybox /usr/bin/busybox 0755 0 0",
                "slink /bin/sh busybox 0777 0 0",
                "file /etc/initrd-release /usr/lib/os-release 0644 0 0")) {
            assertTrue(lines.contains(expected), expected + "\nnot in:\n" + Listing.of(plan.entries()));
        }
        assertTrue(lines.stream().noneMatch(l -> l.contains("/jre/lib/classlist")), "trimmed runtime");
        // Drivers wait for their device, the filesystems ship but load on demand: neither is in the
        // list the init loads at once.
        String load = Files.readString(staging.resolve("modules/liftoff.load"));
        assertTrue(!load.contains("/virtio_blk.ko") && !load.contains("squashfs"), load);
        // The ciphers' cbc is built in: no module to ship for dm-crypt's aes-cbc-essiv:sha256.
        assertEquals(List.of("kernel " + KVER + ": KERNEL_VERSION in the configuration",
                "crypto-cbc (for aes-cbc-essiv:sha256): no module in " + KVER + " (built in, or not in this kernel)",
                "nvme: built into " + KVER, "ext4: built into " + KVER, "ahci: not in " + KVER + ", skipped"), plan.notes().subList(0, 5));
        // The cloud kernel has none of the storage group's USB, MMC and SAS/RAID drivers.
        List<String> rest = plan.notes().subList(5, plan.notes().size());
        assertTrue(rest.contains("usb_storage: not in " + KVER + ", skipped"), rest.toString());
        assertTrue(rest.stream().allMatch(n -> n.endsWith(": not in " + KVER + ", skipped")), rest.toString());
    }

    @Test
    void sortedParentsFirstNoDuplicatesNoNameThroughASymlink() {
        List<String> names = plan.entries().stream().map(ImageEntry::name).toList();
        assertEquals(names.stream().sorted().toList(), names);
        assertEquals(names.size(), new HashSet<>(names).size());
        Set<String> dirs = new HashSet<>();
        plan.entries().stream().filter(e -> e instanceof ImageEntry.Dir).forEach(e -> dirs.add(e.name()));
        for (String name : names) {
            String parent = name.substring(0, name.lastIndexOf('/'));
            assertTrue(parent.isEmpty() || dirs.contains(parent), name + ": parent " + parent + " is not a directory entry");
        }
    }

    @Test
    void initIsTheLauncherLinePlusTheJarAndMtimesAreTheEpoch() throws IOException {
        byte[] init = Files.readAllBytes(plan.stagingDir().resolve("root/init"));
        byte[] line = "#!/jre/bin/java @/jvm.args\n".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(line, Arrays.copyOf(init, line.length));
        assertArrayEquals(Files.readAllBytes(jar), Arrays.copyOfRange(init, line.length, init.length));
        assertEquals(JavaRuntime.argFile(JavaRuntime.jvmArgs("Hello")), Files.readString(plan.stagingDir().resolve("root/jvm.args")));
        FileTime epoch = FileTime.fromMillis(EPOCH * 1000);
        for (String staged : List.of("root/init", "root/jre/lib/server/libjvm.so", "modules/liftoff.load")) {
            assertEquals(epoch, Files.getLastModifiedTime(plan.stagingDir().resolve(staged)), staged);
        }
    }

    @Test
    void sizesPerPartAndTheMicrocodeSegment() throws IOException {
        // java.base with a libjvm and a zip-compressed jimage: about 38 MB; far less means a broken jlink.
        assertTrue(plan.sizes().get(Part.RUNTIME) > 30_000_000L, plan.sizeSummary());
        assertTrue(plan.sizes().get(Part.LIBRARIES) > 2_000_000L, plan.sizeSummary());
        assertTrue(plan.sizes().get(Part.MODULES) > 100_000L, plan.sizeSummary());
        assertEquals(Files.size(Path.of("/usr/bin/busybox")), plan.sizes().get(Part.RESCUE));
        assertEquals(Files.size(plan.stagingDir().resolve("root/init")) + Files.size(plan.stagingDir().resolve("root/jvm.args")),
                plan.sizes().get(Part.INIT));
        assertTrue(plan.sizeSummary().contains("runtime"), plan.sizeSummary());
        // FSCK's default: e2fsck at its host path, with the libraries java does not need (libext2fs, libe2p, ...).
        assertTrue(Listing.of(plan.entries()).contains("file /usr/sbin/e2fsck /usr/sbin/e2fsck 0755 0 0\n"), Listing.of(plan.entries()));
        assertTrue(Listing.of(plan.entries()).lines().anyMatch(l -> l.startsWith("file /usr/lib/x86_64-linux-gnu/libext2fs.so.2")), Listing.of(plan.entries()));
        assertTrue(plan.sizes().get(Part.FSCK) > Files.size(Path.of("/usr/sbin/e2fsck")) + 300_000, plan.sizeSummary());
        assertEquals("ucode", Files.readString(plan.stagingDir().resolve("microcode/kernel/x86/microcode/GenuineIntel.bin")));
        assertTrue(Listing.of(plan.microcode()).contains("file /kernel/x86/microcode/GenuineIntel.bin "));
    }

    @Test
    void aMissingIncludeOrJarIsNamed(@TempDir Path other) throws IOException {
        ImageLayout layout = new ImageLayout(JavaRuntimeTest.CACHE, EPOCH);
        IOException include = assertThrows(IOException.class,
                () -> layout.plan(config.with("INCLUDE", "/no/such/file"), jar, other.resolve("a")));
        assertEquals("INCLUDE /no/such/file: No such file or directory", include.getMessage());
        IOException noJar = assertThrows(IOException.class, () -> layout.plan(config, other.resolve("init.jar"), other.resolve("b")));
        assertEquals(other.resolve("init.jar") + ": init jar not found", noJar.getMessage());
        Path noMain = other.resolve("no-main.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(noMain), new java.util.jar.Manifest())) {
            out.putNextEntry(new java.util.jar.JarEntry("Hello.class"));
        }
        IOException noMainClass = assertThrows(IOException.class, () -> layout.plan(config, noMain, other.resolve("e")));
        assertEquals(noMain + ": the init jar names no Main-Class", noMainClass.getMessage());
        IOException noFsck = assertThrows(IOException.class,
                () -> layout.plan(config.with("FSCK", "fsck.nosuchfs"), jar, other.resolve("c")));
        assertEquals("FSCK fsck.nosuchfs: not in /usr/sbin, /sbin, /usr/bin or /bin on this host (e2fsck is in e2fsprogs;"
                + " FSCK=\"\" ships none)", noFsck.getMessage());
        ImageLayout.Plan none = layout.plan(config.with("FSCK", ""), jar, other.resolve("d"));
        assertEquals(0L, none.sizes().get(Part.FSCK));
        assertFalse(Listing.of(none.entries()).contains("e2fsck"), Listing.of(none.entries()));
    }

    /**
     * A compressed module ships decompressed, under its .ko name in the image and in modules.dep, to a
     * kernel whose config lacks CONFIG_MODULE_DECOMPRESS (the init has no xz or zstd), and as it is to
     * one that has it (finit_module's MODULE_INIT_COMPRESSED_FILE).
     */
    @Test
    void compressedModulesAreDecompressedUnlessTheKernelDecompressesThem(@TempDir Path base) throws Exception {
        Path dir = Files.createDirectories(base.resolve("6.9.0/kernel/drivers/virtio"));
        Path plain = Path.of("/lib/modules", KVER, "kernel/drivers/virtio/virtio_ring.ko");
        Process xz = new ProcessBuilder("xz", "-c", plain.toString()).redirectOutput(dir.resolve("virtio_ring.ko.xz").toFile()).start();
        assertEquals(0, xz.waitFor());
        Files.writeString(base.resolve("6.9.0/modules.dep"), "kernel/drivers/virtio/virtio_ring.ko.xz:\n");
        BuildConfig fake = config.with("MODULES_DIR", base.toString()).with("KERNEL_VERSION", "6.9.0").with("MODULES", "virtio_ring");

        ImageLayout.Plan decompressed = new ImageLayout(JavaRuntimeTest.CACHE, EPOCH).plan(fake, jar, base.resolve("a"));
        String module = "lib/modules/6.9.0/kernel/drivers/virtio/virtio_ring.ko";   // under /usr on a merged-/usr host
        Path staged = base.resolve("a/modules-decompressed/kernel/drivers/virtio/virtio_ring.ko");
        assertTrue(Listing.of(decompressed.entries()).contains(module + " " + staged + " 0644 0 0\n"), Listing.of(decompressed.entries()));
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(staged));
        assertEquals("kernel/drivers/virtio/virtio_ring.ko:\n", Files.readString(base.resolve("a/modules/modules.dep")));
        assertTrue(decompressed.notes().stream().anyMatch(n -> n.startsWith("1 compressed modules: decompressed into the image")),
                decompressed.notes().toString());

        Files.writeString(base.resolve("6.9.0/config"), "CONFIG_MODULES=y\nCONFIG_MODULE_DECOMPRESS=y\n");
        ImageLayout.Plan asIs = new ImageLayout(JavaRuntimeTest.CACHE, EPOCH).plan(fake, jar, base.resolve("b"));
        assertTrue(Listing.of(asIs.entries()).contains(module + ".xz " + dir.resolve("virtio_ring.ko.xz") + " 0644 0 0\n"), Listing.of(asIs.entries()));
        assertEquals("kernel/drivers/virtio/virtio_ring.ko.xz:\n", Files.readString(base.resolve("b/modules/modules.dep")));
    }

    @Test
    void sameInputsSameSpec(@TempDir Path other) throws IOException {
        ImageLayout.Plan again = new ImageLayout(JavaRuntimeTest.CACHE, EPOCH).plan(config, jar, other.resolve("staging"));
        assertEquals(Listing.of(plan.entries()).replace(plan.stagingDir().toString(), "STAGING"),
                Listing.of(again.entries()).replace(again.stagingDir().toString(), "STAGING"));
    }

    /**
     * The proof that loader, libraries and the libjli alias are right: run /init in a chroot without /proc,
     * then do the integrator's AOT training there and check that the boot command line opens the cache.
     */
    @Test
    void theMaterializedImageRunsAndTrainsInAChrootWithoutProc(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "chroot needs root");
        Path root = dir.resolve("root");
        plan.materialize(root);
        assertTrue(Files.notExists(root.resolve("proc/self")));
        // The kernel runs "/jre/bin/java @/jvm.args /init arg": the class path /init, two arguments.
        assertTrue(chroot(root, "/init", "arg").contains("hello from 2 /jre"));
        assertEquals("rescue ok\n", chroot(root, "/bin/sh", "-c", "echo rescue ok"));

        List<String> training = new ArrayList<>(List.of("/jre/bin/java"));
        training.addAll(JavaRuntime.trainingJvmArgs(Files.readAllLines(root.resolve("jvm.args")), JavaRuntime.AOT_CACHE));
        training.add("/init");
        chroot(root, training.toArray(String[]::new));
        ImageLayout.Plan trained = plan.withAotCache(root.resolve("app.aot"));
        assertTrue(Listing.of(trained.entries()).contains("file /app.aot " + root.resolve("app.aot") + " 0644 0 0\n"));
        assertEquals(plan.sizes().get(Part.RUNTIME) + Files.size(root.resolve("app.aot")), trained.sizes().get(Part.RUNTIME));
        // A log file of its own: /jvm.args turns the JVM's AOT messages on stdout off.
        chroot(root, "/jre/bin/java", "-Xlog:aot=info:file=/aot-info.log", "@/jvm.args", "/init");
        String boot = Files.readString(root.resolve("aot-info.log"));
        assertTrue(boot.contains("Opened AOT cache /app.aot."), boot);
    }

    /** Runs {@code command} in a chroot of {@code root}; returns its output, failing on a non-zero exit. */
    static String chroot(Path root, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("chroot", root.toString()));
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", full));
        assertEquals(0, process.exitValue(), String.join(" ", full) + "\n" + output);
        return output;
    }
}
