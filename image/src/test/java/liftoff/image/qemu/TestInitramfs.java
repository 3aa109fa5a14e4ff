package liftoff.image.qemu;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The tests' busybox initramfs: test-init.sh as /init plus the kernel modules it loads. Packed with
 * GNU cpio, because liftoff's own cpio writer is still being written.
 */
final class TestInitramfs {
    private TestInitramfs() {}

    /** The modules a virtio-blk root needs on Debian's cloud kernel (their dependencies follow). */
    static final List<String> VIRTIO_BLK_MODULES = List.of("virtio_pci", "virtio_blk");

    /** Stages the image in {@code work}/initramfs and packs it to {@code work}/initramfs.img. */
    static Path build(Kernel kernel, List<String> modules, Path work) throws IOException, InterruptedException {
        Path busybox = HostTools.require("busybox", "busybox-static");
        Path cpio = HostTools.require("cpio", "cpio");
        Path root = Files.createDirectories(work.resolve("initramfs"));
        for (String dir : List.of("bin", "dev", "proc", "sys", "newroot", "lib/modules", "etc")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.copy(busybox, root.resolve("bin/busybox"));
        for (String applet : List.of("sh", "cat", "mount", "insmod", "usleep", "switch_root")) {
            Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        try (InputStream init = TestInitramfs.class.getResourceAsStream("test-init.sh")) {
            Files.copy(init, root.resolve("init"));
        }
        Files.setPosixFilePermissions(root.resolve("init"), PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> moduleNames = new ArrayList<>();
        for (Path module : loadOrder(kernel.modulesDir(), modules)) {
            String name = module.getFileName().toString().replaceFirst("\\.ko$", "");
            Files.copy(module, root.resolve("lib/modules").resolve(name + ".ko"));
            moduleNames.add(name);
        }
        Files.write(root.resolve("etc/modules"), moduleNames, UTF_8);

        Path image = work.resolve("initramfs.img");
        List<String> names;
        try (Stream<Path> walk = Files.walk(root)) {
            names = walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
        Process pack = new ProcessBuilder(cpio.toString(), "-o", "-H", "newc", "-R", "0:0", "--reproducible", "--quiet")
                .directory(root.toFile()).redirectOutput(image.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream list = pack.getOutputStream()) {
            list.write(String.join("\n", names).concat("\n").getBytes(UTF_8));
        }
        if (pack.waitFor() != 0) throw new IOException("cpio failed packing " + root);
        return image;
    }

    /**
     * The module files for {@code names} and everything they depend on, dependencies first, from
     * modules.dep ("path: dep dep ..."; each line already lists the whole closure, and modprobe loads
     * it from the last entry to the first).
     */
    static List<Path> loadOrder(Path modulesDir, List<String> names) throws IOException {
        Map<String, String> pathByName = new HashMap<>();
        Map<String, List<String>> depsByPath = new HashMap<>();
        for (String line : Files.readAllLines(modulesDir.resolve("modules.dep"))) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String path = line.substring(0, colon);
            String deps = line.substring(colon + 1).strip();
            depsByPath.put(path, deps.isEmpty() ? List.of() : List.of(deps.split(" ")));
            pathByName.put(moduleName(path), path);
        }
        Set<String> order = new LinkedHashSet<>();
        for (String name : names) {
            String path = pathByName.get(name.replace('-', '_'));
            if (path == null) throw new IOException("no module " + name + " in " + modulesDir + "/modules.dep");
            List<String> deps = depsByPath.get(path);
            for (int i = deps.size() - 1; i >= 0; i--) order.add(deps.get(i));
            order.add(path);
        }
        List<Path> files = new ArrayList<>();
        for (String path : order) {
            if (!path.endsWith(".ko")) throw new IOException("compressed module " + path + ": the test initramfs only copies plain .ko files");
            files.add(modulesDir.resolve(path));
        }
        return files;
    }

    private static String moduleName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.substring(0, file.indexOf(".ko")).replace('-', '_');
    }
}
