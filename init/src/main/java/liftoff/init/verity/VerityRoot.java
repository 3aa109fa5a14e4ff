package liftoff.init.verity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import liftoff.init.BootFailure;
import liftoff.init.Log;
import liftoff.init.cmdline.Cmdline;
import liftoff.init.mapper.MappedDevice;
import liftoff.init.modules.DeviceEvents;
import liftoff.init.modules.ModuleLoader;
import liftoff.init.probe.VeritySuperblock;
import liftoff.init.root.RootDevice;
import liftoff.init.root.RootSpec;
import liftoff.sys.DeviceMapper;
import liftoff.sys.KernelLog;
import liftoff.sys.SyscallException;

/**
 * A dm-verity root, named on the kernel command line as systemd names it: {@code roothash=HEX},
 * {@code systemd.verity_root_data=DEV}, {@code systemd.verity_root_hash=DEV} and
 * {@code systemd.verity_root_options=a,b}. The superblock that {@code veritysetup format} wrote
 * on the hash device gives the rest of the table; the mapping is the read-only
 * /dev/mapper/root, which root= then defaults to. Without the data and hash devices the
 * partitions are found as systemd's auto-discovery finds them: the data partition's PARTUUID is
 * the root hash's first 128 bits, the hash partition's its last 128 bits.
 *
 * @param data        the data device
 * @param hash        the hash device (the same as data for a hash-offset= layout)
 * @param rootHash    the root hash, lower-case hex
 * @param hashOffset  where the superblock sits on the hash device, in bytes
 * @param flags       the kernel's optional verity arguments (ignore-corruption, ...)
 */
public record VerityRoot(RootSpec data, RootSpec hash, String rootHash, long hashOffset, List<String> flags) {
    static final String NAME = "root";
    public static final String DEVICE = "/dev/mapper/" + NAME;
    /** cryptsetup's prefix for the device-mapper uuid of a verity device; how a failure tells the device apart. */
    private static final String UUID_PREFIX = "CRYPT-VERITY-";

    /** The verity target's flag arguments (Documentation/admin-guide/device-mapper/verity.rst), as systemd spells them. */
    private static final List<String> KERNEL_FLAGS = List.of("ignore-corruption", "restart-on-corruption",
            "panic-on-corruption", "ignore-zero-blocks", "check-at-most-once");
    /** Digest sizes in bytes of the algorithms veritysetup offers, to check roothash= before the kernel does. */
    private static final Map<String, Integer> DIGEST_BYTES = Map.of("sha1", 20, "sha224", 28, "sha256", 32,
            "sha384", 48, "sha512", 64);

    /**
     * The verity root the command line asks for, or null when it has no roothash=.
     *
     * @throws IllegalArgumentException with a message for the console when it is malformed
     */
    public static VerityRoot fromCmdline(Cmdline cmdline) {
        String rootHash = cmdline.value("roothash");
        if (rootHash == null) return null;
        if (!cmdline.readOnly() && cmdline.value("liftoff.overlay") == null) {
            // The mapping is read-only: a rw mount would fail with a bare EACCES.
            throw new IllegalArgumentException("rw: a verity root is read-only; boot with ro, or add liftoff.overlay=tmpfs"
                    + " for a writable layer over it");
        }
        rootHash = rootHash.toLowerCase(Locale.ROOT);
        if (rootHash.length() < 40 || rootHash.length() > 128 || rootHash.length() % 2 != 0 || !rootHash.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("roothash=" + rootHash + " is not a hash in hex (40 to 128 hex digits)");
        }
        RootSpec data = device(cmdline, "systemd.verity_root_data", rootHash.substring(0, 32));
        RootSpec hash = device(cmdline, "systemd.verity_root_hash", rootHash.substring(rootHash.length() - 32));
        long hashOffset = 0;
        List<String> flags = new ArrayList<>();
        String options = cmdline.value("systemd.verity_root_options");
        for (String option : options == null ? new String[0] : options.split(",")) {
            if (option.isEmpty() || option.equals("superblock=true")) continue;
            if (option.startsWith("hash-offset=")) {
                hashOffset = hashOffset(option.substring("hash-offset=".length()));
            } else if (KERNEL_FLAGS.contains(option)) {
                if (!flags.contains(option)) flags.add(option);
            } else {
                throw new IllegalArgumentException("systemd.verity_root_options: '" + option + "' is not supported"
                        + " (liftoff knows hash-offset=, superblock=true, " + String.join(", ", KERNEL_FLAGS) + ")");
            }
        }
        return new VerityRoot(data, hash, rootHash, hashOffset, List.copyOf(flags));
    }

    /** The device named by {@code key}, else the partition whose PARTUUID is these 128 bits of the hash. */
    private static RootSpec device(Cmdline cmdline, String key, String hex32) {
        String value = cmdline.value(key);
        if (value == null) {
            return RootSpec.parse("PARTUUID=" + hex32.substring(0, 8) + "-" + hex32.substring(8, 12) + "-"
                    + hex32.substring(12, 16) + "-" + hex32.substring(16, 20) + "-" + hex32.substring(20));
        }
        try {
            return RootSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "=" + value + ": " + e.getMessage());
        }
    }

    private static long hashOffset(String bytes) {
        try {
            long offset = Long.parseLong(bytes);
            if (offset >= 0 && offset % 512 == 0) return offset;
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new IllegalArgumentException("systemd.verity_root_options: hash-offset=" + bytes + " is not a byte offset that is a multiple of 512");
    }

    /**
     * The dm-verity table line: {@code version data hash dbs hbs ndata hashstart alg roothash salt [n flags]}.
     *
     * @throws IllegalArgumentException when the root hash does not fit the superblock's algorithm
     */
    public String table(VeritySuperblock sb, Path dataDevice, Path hashDevice) {
        Integer digest = DIGEST_BYTES.get(sb.algorithm());
        if (digest != null && rootHash.length() != 2 * digest) {
            throw new IllegalArgumentException("roothash= has " + rootHash.length() / 2 + " bytes but the hash device's "
                    + sb.algorithm() + " makes " + digest);
        }
        StringBuilder t = new StringBuilder();
        t.append(sb.hashType()).append(' ').append(dataDevice).append(' ').append(hashDevice).append(' ')
                .append(sb.dataBlockSize()).append(' ').append(sb.hashBlockSize()).append(' ').append(sb.dataBlocks()).append(' ')
                .append(sb.hashStartBlock(hashOffset)).append(' ').append(sb.algorithm()).append(' ').append(rootHash).append(' ')
                .append(sb.saltHex());
        // systemd spells the options with dashes, the kernel's verity target with underscores.
        if (!flags.isEmpty()) t.append(' ').append(flags.size()).append(' ').append(String.join(" ", flags).replace('-', '_'));
        return t.toString();
    }

    /**
     * Sets up /dev/mapper/root when the command line asks for a verity root: waits for the data
     * and hash devices, reads the superblock, loads dm_verity and creates the read-only mapping.
     */
    public static void open(Cmdline cmdline, ModuleLoader modules, DeviceEvents events, Log log) throws BootFailure {
        VerityRoot verity;
        try {
            verity = fromCmdline(cmdline);
        } catch (IllegalArgumentException e) {
            throw new BootFailure("dm-verity root: " + e.getMessage());
        }
        if (verity == null) return;
        Path data = RootDevice.await(verity.data, "verity data device", cmdline, events, log);
        Path hash = verity.hash.equals(verity.data) ? data : RootDevice.await(verity.hash, "verity hash device", cmdline, events, log);
        try {
            VeritySuperblock sb = VeritySuperblock.read(hash, verity.hashOffset);
            String table = verity.table(sb, data, hash);
            MappedDevice.requireTarget(modules, "dm_verity");
            MappedDevice.requireCrypto(modules, sb.algorithm(), log);
            log.info("dm-verity: " + NAME + " = " + table);
            String uuid = UUID_PREFIX + (sb.uuid() == null ? verity.rootHash.substring(0, 32) : sb.uuid().replace("-", "")) + "-" + NAME;
            MappedDevice.create(NAME, uuid, true, List.of(new DeviceMapper.Target(0, sb.dataSectors(), "verity", table)), log);
        } catch (IOException | IllegalArgumentException e) {
            throw new BootFailure("dm-verity root on " + data + " (hash " + hash + "): " + e.getMessage());
        } catch (SyscallException e) {
            throw new BootFailure("dm-verity root on " + data + " (hash " + hash + "): " + e.getMessage()
                    + kernelSays(" device-mapper:"));
        }
    }

    /**
     * Why reading {@code device} failed, when it is a verity mapping that has seen a block whose hash
     * does not match (its status is "C"); null otherwise. An EIO from the mount then gets its real name.
     */
    public static String corruption(Path device) {
        String[] dm = MappedDevice.nameAndUuid(device);
        if (dm == null || !dm[1].startsWith(UUID_PREFIX)) return null;
        String where;
        try {
            if (!DeviceMapper.status(dm[0]).startsWith("C")) return null;
            String[] table = DeviceMapper.table(dm[0]).split(" ");
            where = table.length > 2 ? node(table[1]) + " (hash " + node(table[2]) + ")" : device.toString();
        } catch (SyscallException e) {
            return null;
        }
        return "dm-verity detected corruption on " + where + ": a block of " + device + " does not match the root hash"
                + kernelSays("verity:");
    }

    /** The /dev node of "major:minor" as the kernel's table shows devices, from sysfs. */
    private static String node(String majorMinor) {
        try {
            return "/dev/" + Path.of("/sys/dev/block", majorMinor).toRealPath().getFileName();
        } catch (IOException e) {
            return majorMinor;
        }
    }

    /** The kernel's last log lines containing {@code marker}, indented, for a failure message; "" when none. */
    private static String kernelSays(String marker) {
        List<String> lines = new ArrayList<>();
        try {
            for (String line : KernelLog.readAll().split("\n")) {
                if (line.contains(marker)) lines.add(line.replaceFirst("^<\\d+>", "").strip());
            }
        } catch (SyscallException e) {
            return "";
        }
        List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
        return last.isEmpty() ? "" : "\n  kernel: " + String.join("\n  kernel: ", last);
    }
}
