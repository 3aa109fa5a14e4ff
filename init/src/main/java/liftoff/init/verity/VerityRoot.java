package liftoff.init.verity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import liftoff.init.BootFailure;
import liftoff.init.Log;
import liftoff.init.cmdline.RootOptions;
import liftoff.init.cmdline.VerityOptions;
import liftoff.init.mapper.MappedDevice;
import liftoff.init.modules.DeviceEvents;
import liftoff.init.modules.ModuleLoader;
import liftoff.init.probe.VeritySuperblock;
import liftoff.init.root.RootDevice;
import liftoff.sys.DeviceMapper;
import liftoff.sys.KernelLog;
import liftoff.sys.SyscallException;

/**
 * Sets up a dm-verity root ({@link VerityOptions}): the superblock that {@code veritysetup format}
 * wrote on the hash device gives the rest of the table; the mapping is the read-only
 * /dev/mapper/root, which root= then defaults to.
 */
public final class VerityRoot {
    /** cryptsetup's prefix for the device-mapper uuid of a verity device; how a failure tells the device apart. */
    private static final String UUID_PREFIX = "CRYPT-VERITY-";

    /** Digest sizes in bytes of the algorithms veritysetup offers, to check roothash= before the kernel does. */
    private static final Map<String, Integer> DIGEST_BYTES = Map.of("sha1", 20, "sha224", 28, "sha256", 32,
            "sha384", 48, "sha512", 64);

    private VerityRoot() {}

    /**
     * The dm-verity table line: {@code version data hash dbs hbs ndata hashstart alg roothash salt [n flags]}.
     *
     * @throws IllegalArgumentException when the root hash does not fit the superblock's algorithm
     */
    public static String table(VerityOptions verity, VeritySuperblock sb, Path dataDevice, Path hashDevice) {
        String rootHash = verity.rootHash();
        Integer digest = DIGEST_BYTES.get(sb.algorithm());
        if (digest != null && rootHash.length() != 2 * digest) {
            throw new IllegalArgumentException("roothash= has " + rootHash.length() / 2 + " bytes but the hash device's "
                    + sb.algorithm() + " makes " + digest);
        }
        StringBuilder t = new StringBuilder();
        t.append(sb.hashType()).append(' ').append(dataDevice).append(' ').append(hashDevice).append(' ')
                .append(sb.dataBlockSize()).append(' ').append(sb.hashBlockSize()).append(' ').append(sb.dataBlocks()).append(' ')
                .append(sb.hashStartBlock(verity.hashOffset())).append(' ').append(sb.algorithm()).append(' ').append(rootHash)
                .append(' ').append(sb.saltHex());
        // systemd spells the options with dashes, the kernel's verity target with underscores.
        List<String> flags = verity.flags();
        if (!flags.isEmpty()) t.append(' ').append(flags.size()).append(' ').append(String.join(" ", flags).replace('-', '_'));
        return t.toString();
    }

    /**
     * Sets up /dev/mapper/root when the command line asks for a verity root: waits for the data
     * and hash devices (as long as for the root, {@code wait}), reads the superblock, loads
     * dm_verity and creates the read-only mapping. A malformed verity command line stops the boot:
     * its problems were reported with the command line's, and nothing unchecked is mounted instead.
     *
     * @param verity the verity root, or null when the command line asks for none
     */
    public static void open(VerityOptions verity, RootOptions wait, ModuleLoader modules, DeviceEvents events, Log log)
            throws BootFailure {
        if (verity == null) return;
        if (!verity.problems().isEmpty()) throw new BootFailure("dm-verity root: " + String.join("; ", verity.problems()));
        Path data = RootDevice.await(verity.data(), "verity data device", wait, events, log);
        Path hash = verity.hash().equals(verity.data()) ? data : RootDevice.await(verity.hash(), "verity hash device", wait, events, log);
        try {
            VeritySuperblock sb = VeritySuperblock.read(hash, verity.hashOffset());
            String table = table(verity, sb, data, hash);
            MappedDevice.requireTarget(modules, "dm_verity");
            MappedDevice.requireCrypto(modules, sb.algorithm(), log);
            log.info("dm-verity: " + VerityOptions.MAPPING + " = " + table);
            String uuid = UUID_PREFIX + (sb.uuid() == null ? verity.rootHash().substring(0, 32) : sb.uuid().replace("-", ""))
                    + "-" + VerityOptions.MAPPING;
            MappedDevice.create(VerityOptions.MAPPING, uuid, true,
                    List.of(new DeviceMapper.Target(0, sb.dataSectors(), "verity", table)), log);
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
