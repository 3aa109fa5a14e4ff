package liftoff.init.mapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import liftoff.init.BootFailure;
import liftoff.init.Log;
import liftoff.init.modules.ModuleLoader;
import liftoff.sys.DeviceMapper;
import liftoff.sys.Errno;
import liftoff.sys.SyscallException;

/**
 * Device-mapper devices as the rest of the boot names them. devtmpfs makes /dev/mapper/control
 * when dm_mod loads and /dev/dm-N for each device; the /dev/mapper/NAME link is udev's job, and no
 * udev runs here, so it is made here, as udev makes it (a symlink to ../dm-N).
 */
public final class MappedDevice {
    static final Path MAPPER = Path.of("/dev/mapper");
    private static final long NODE_WAIT_MS = 2_000;
    private static final long CRYPTO_WAIT_MS = 2_000;

    private MappedDevice() {}

    /** Loads dm_mod (and {@code targetModule}, e.g. dm_verity) unless they are there already. */
    public static void requireTarget(ModuleLoader modules, String targetModule) throws BootFailure {
        for (String module : new String[] {"dm_mod", targetModule}) {
            modules.loadByName(module);
            if (!modules.present(module)) {
                throw new BootFailure("device-mapper is not available: " + module + " did not load"
                        + " (is the module in the image? liftoff build --module " + module + ")");
            }
        }
        if (!Files.exists(Path.of(DeviceMapper.CONTROL))) {
            throw new BootFailure("device-mapper is loaded but " + DeviceMapper.CONTROL + " did not appear");
        }
    }

    /**
     * Makes sure the kernel's crypto API has {@code algorithm} ("sha512"), loading its generic
     * module when it is a module: a target asks the kernel for it, and the kernel's own
     * request_module finds no modprobe in the initramfs. A freshly registered algorithm is usable
     * once its self-test has passed (a kernel thread runs it), so that is waited for, briefly.
     */
    public static void requireCrypto(ModuleLoader modules, String algorithm, Log log) {
        if (cryptoReady(algorithm)) return;
        modules.loadByName(algorithm + "_generic");
        long deadline = System.nanoTime() + CRYPTO_WAIT_MS * 1_000_000;
        while (!cryptoReady(algorithm)) {
            if (System.nanoTime() > deadline) {
                log.warn("the kernel has no tested " + algorithm);
                return;
            }
            sleep(5);
        }
        log.info("crypto: " + algorithm + " loaded (" + algorithm + "_generic)");
    }

    /** /proc/crypto lists the algorithm by name with "selftest : passed". */
    public static boolean cryptoReady(String algorithm) {
        try {
            boolean named = false;
            for (String line : Files.readAllLines(Path.of("/proc/crypto"))) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (key.equals("name")) named = value.equals(algorithm);
                else if (named && key.equals("selftest") && value.equals("passed")) return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Creates the mapping and its /dev/mapper/NAME link. A device of that name left by an earlier
     * try of the boot (the rescue shell's "exit" tries again) is removed first.
     */
    public static Path create(String name, String uuid, boolean readOnly, List<DeviceMapper.Target> table, Log log)
            throws BootFailure {
        removeStale(name, log);
        DeviceMapper.Device device = DeviceMapper.create(name, uuid, readOnly, table);
        Path node = Path.of("/dev", device.kernelName());
        awaitNode(node);
        Path link = MAPPER.resolve(name);
        try {
            Files.createDirectories(MAPPER);
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of("..", device.kernelName()));
        } catch (IOException e) {
            throw new BootFailure("cannot make " + link + ": " + e.getMessage());
        }
        log.info("device-mapper " + name + " is " + node + " (" + device.major() + ":" + device.minor() + ")");
        return link;
    }

    private static void removeStale(String name, Log log) throws BootFailure {
        try {
            DeviceMapper.remove(name);
            log.info("removed the device-mapper device " + name + " left by an earlier try");
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENXIO) return;   // none: the usual case
            throw new BootFailure("the device-mapper device " + name + " from an earlier try is still there: " + e.getMessage());
        }
    }

    private static void awaitNode(Path node) throws BootFailure {
        long deadline = System.nanoTime() + NODE_WAIT_MS * 1_000_000;
        while (!Files.exists(node)) {
            if (System.nanoTime() > deadline) throw new BootFailure(node + " did not appear after its device-mapper device was made");
            sleep(5);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The device-mapper name and uuid of a block device node ("dm-0" → {"root", "CRYPT-VERITY-…"}),
     * or null when it is no device-mapper device.
     */
    public static String[] nameAndUuid(Path device) {
        try {
            String kernelName = device.toRealPath().getFileName().toString();
            if (!kernelName.toLowerCase(Locale.ROOT).startsWith("dm-")) return null;
            Path dm = Path.of("/sys/class/block", kernelName, "dm");
            return new String[] {Files.readString(dm.resolve("name")).strip(), Files.readString(dm.resolve("uuid")).strip()};
        } catch (IOException e) {
            return null;
        }
    }
}
