package liftoff.init;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import liftoff.handover.HandoverException;
import liftoff.handover.MountInfo;
import liftoff.handover.OldRootCleaner;
import liftoff.handover.SwitchRoot;
import liftoff.init.cmdline.Cmdline;
import liftoff.init.cmdline.VerityOptions;
import liftoff.init.luks.KernelCipher;
import liftoff.init.modules.Coldplug;
import liftoff.init.modules.DeviceEvents;
import liftoff.init.modules.FilesystemModules;
import liftoff.init.modules.ModuleDatabase;
import liftoff.init.modules.ModuleLoader;
import liftoff.init.probe.BlockDevices;
import liftoff.init.probe.Filesystem;
import liftoff.init.probe.Probe;
import liftoff.init.probe.VeritySuperblock;
import liftoff.init.root.DiskLinks;
import liftoff.init.root.Fsck;
import liftoff.init.root.RootFinder;
import liftoff.init.verity.VerityRoot;
import liftoff.sys.DirEntry;
import liftoff.sys.Fs;
import liftoff.sys.Preload;

/**
 * The AOT training run: `liftoff build` runs the init in a chroot of the finished image with
 * -XX:AOTCacheOutput, and the JVM records the classes and linkage this run uses. It walks the
 * boot's code paths with harmless calls (nothing is mounted, loaded or executed), so the real
 * boot finds the command-line parser, the probers, the log and every downcall handle ready.
 */
final class Training {
    private Training() {}

    static void run() {
        loadEveryInitClass();
        Preload.syscalls();
        Preload.linkAll();
        Cmdline cmdline = Cmdline.parse("console=ttyS0 root=UUID=0a1b2c3d-0000-4000-8000-000000000001 rootfstype=ext4 ro"
                + " rootwait=5 rootdelay=0 liftoff.timeout=5 liftoff.debug liftoff.overlay=tmpfs fsck.mode=auto fsck.repair=preen"
                + " liftoff.modules=virtio-blk modprobe.blacklist=floppy virtio_blk.queue_depth=64 -- --switched-root");
        cmdline.root().waitLimitMs();
        cmdline.fsck().mode();
        cmdline.modules().parameters();
        cmdline.problems();
        rehearseColdplug();
        MountInfo.parse("21 1 0:20 / /proc rw,nosuid shared:2 - proc proc rw\n");
        AotStatus.problem();   // its reader classes; there is no /proc in the training chroot, so no verdict
        StartupTimes.startedLine(0, 0, 0, true);
        Fs.statfs("/");
        int root = Fs.openDirectory("/");
        try {
            for (DirEntry e : Fs.readDirectory(root)) Fs.stat(root, e.name(), Fs.AT_SYMLINK_NOFOLLOW);
        } finally {
            Fs.close(root);
        }
        rehearseProbe();
        rehearseOldRootCleanup();   // last of those that write files: it empties the training directory
        rehearseVerity();
        Cmdline.parse("rd.luks.uuid=0a1b2c3d-0000-4000-8000-000000000002 rd.luks.name="
                + "0a1b2c3d-0000-4000-8000-000000000002=root rd.luks.options=discard rd.luks.key=/etc/luks/root.key").luks().volumes();
        KernelCipher.of("aes-xts-plain64").moduleAliases();
        Memory.summary();
        FilesystemModules.registered("ext4");
        // A writable root is checked first: the process spawn, with a run that checks nothing.
        Fsck.verdict(Fsck.run(List.of("/usr/sbin/e2fsck", "-V"), new Log()));
        try {
            SwitchRoot.checkInit("/", "/init");
            SwitchRoot.checkInitRuns("/", "/init");   // the image's own: a #! script run by /jre/bin/java
        } catch (HandoverException e) {
            System.out.println("training: " + e.getMessage());
        }
        try {
            new RootFinder(BlockDevices.system()).find(cmdline.root().spec());
            Probe.filesystem(Path.of("/init"));
        } catch (IOException e) {
            System.out.println("training: " + e.getMessage());
        }
        System.out.println("training: done");
    }

    /**
     * Every class of the init's own code (not the Bouncy Castle classes beside it), loaded into the
     * cache: a class the rehearsals below do not reach would otherwise be read from the jar and
     * verified, interpreted, on the boot it is first needed in (38 classes, Boot among them).
     */
    private static void loadEveryInitClass() {
        ClassLoader loader = Training.class.getClassLoader();
        try (ZipFile jar = new ZipFile(Path.of(Training.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toFile())) {
            for (ZipEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (!name.startsWith("liftoff/") || !name.endsWith(".class")) continue;
                Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false, loader);
            }
        } catch (IOException | URISyntaxException | ClassNotFoundException e) {
            System.out.println("training: " + e);
        }
    }

    /** Coldplug's code paths: the image's module indexes, an alias lookup, the sysfs walk, the loader's queue. */
    private static void rehearseColdplug() {
        try (var kernels = Files.list(Path.of("/lib/modules"))) {
            for (Path dir : kernels.toList()) {
                ModuleDatabase.load(dir).modulesForModalias("virtio:d00000002v00001AF4");
                rehearseModuleLoader(dir);
            }
        } catch (IOException e) {
            System.out.println("training: " + e.getMessage());
        }
        if (Files.isDirectory(Path.of("/sys/bus"))) Coldplug.modaliases(Path.of("/sys"));
        // Drivers load in threads of their own, waiting on each other's futures.
        CompletableFuture<Void> claim = new ConcurrentHashMap<String, CompletableFuture<Void>>()
                .computeIfAbsent("module", name -> new CompletableFuture<>());
        try {
            Thread.ofPlatform().name("modprobe training").daemon().start(() -> claim.complete(null)).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        claim.join();
        DiskLinks.encode("training label");
    }

    /**
     * The loader's queue, its threads and the device events on the image's own indexes, with the
     * loader paused as at a hand-over before anything starts: no module file is opened, so nothing
     * can reach the build host's finit_module. The sysfs is a made-up tree with one virtio device.
     */
    private static void rehearseModuleLoader(Path kernelDir) throws IOException {
        Log log = new Log();
        ModuleLoader loader = ModuleLoader.open(kernelDir.getParent(), Path.of("/training-has-no-disks"), 1,
                kernelDir.getFileName().toString(), List.of(), Map.of(), log);
        loader.drivers().pauseForHandover();
        Path sysfs = Files.createDirectories(trainingDirectory().resolve("sys/bus/pci/devices/0000:00:02.0"));
        Files.writeString(sysfs.resolve("modalias"), "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00\n");
        try (DeviceEvents events = DeviceEvents.listen(loader, log)) {
            events.coldplug(trainingDirectory().resolve("sys"));
            loader.startForModalias("virtio:d00000002v00001AF4", (driver, ms) -> { });   // finds the loader paused
            loader.drivers().queued();
            events.noneOfTheDisksIsIt();
            events.awaitBlockDevice(0);
            loader.drivers().rootFound();
            loader.startList();
            loader.awaitList();
            loader.drivers().awaitLoads();
        }
    }

    /** The probe of an ext4 root: a superblock made here (metadata_csum, so its checksum too). */
    private static void rehearseProbe() {
        ByteBuffer image = ByteBuffer.allocate(2048).order(ByteOrder.LITTLE_ENDIAN);
        image.putShort(1024 + 0x38, (short) 0xEF53).putInt(1024 + 0x5C, 0x4).putInt(1024 + 0x60, 0x2 | 0x40)
                .putInt(1024 + 0x64, 0x400).put(1024 + 0x78, "training".getBytes(StandardCharsets.US_ASCII));
        CRC32C crc = new CRC32C();
        crc.update(image.array(), 1024, 0x3FC);
        image.putInt(1024 + 0x3FC, (int) ~crc.getValue());
        try {
            Path file = trainingDirectory().resolve("ext4.img");
            Files.write(file, image.array());
            Filesystem fs = Probe.filesystem(file);
            System.out.println("training: probed " + (fs == null ? "nothing" : fs.type()));
        } catch (IOException e) {
            System.out.println("training: " + e.getMessage());
        }
    }

    /** A verity root's command line, superblock check and table, on made-up values (no device-mapper call). */
    private static void rehearseVerity() {
        VerityOptions verity = Cmdline.parse("roothash=" + "0f".repeat(32)
                + " systemd.verity_root_options=hash-offset=4096,ignore-zero-blocks").verity();
        VerityRoot.table(verity, new VeritySuperblock(1, null, "sha256", 4096, 4096, 1, new byte[1]), Path.of("/dev/vda"),
                Path.of("/dev/vda"));
        try {
            VeritySuperblock.parse(ByteBuffer.allocate(VeritySuperblock.SIZE), "training");
        } catch (IOException e) {
            System.out.println("training: " + e.getMessage());
        }
    }

    /** The delete that empties the initramfs after the switch, on the training directory's tree. */
    private static void rehearseOldRootCleanup() {
        try {
            Path dir = trainingDirectory();
            Files.createDirectories(dir.resolve("a/b"));
            Files.writeString(dir.resolve("a/b/file"), "x");
            Files.createSymbolicLink(dir.resolve("link"), Path.of("a"));
            int fd = Fs.openDirectory(dir.toString());
            try {
                OldRootCleaner.deleteContents(fd, line -> System.out.println("training: " + line));
            } finally {
                Fs.close(fd);
            }
            Files.delete(dir);
        } catch (IOException e) {
            System.out.println("training: " + e.getMessage());
        }
    }

    /**
     * Where the rehearsals write. Not Files.createTempDirectory: its random name seeds SecureRandom,
     * and the chroot has no /dev/urandom, so the JDK gathered entropy from thread timings for 8 s,
     * interpreted. The chroot is a fresh staging tree: a fixed name cannot collide.
     */
    private static Path trainingDirectory() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "liftoff-training-" + ProcessHandle.current().pid()));
    }
}
