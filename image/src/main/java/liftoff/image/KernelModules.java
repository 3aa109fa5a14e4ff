package liftoff.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import liftoff.init.luks.KernelCipher;
import liftoff.init.modules.ModuleDatabase;

/**
 * Which kernel modules (and their firmware) go into an image: the requested names and groups, closed
 * over modules.dep and the softdep "pre:" lists, in the order the init must load them.
 */
public final class KernelModules {
    /**
     * Named sets a configuration can ask for. "storage" covers the disks a root filesystem usually sits
     * on: virtio (QEMU, most clouds), NVMe, AHCI/SATA, legacy IDE (QEMU -machine pc), SCSI disks, USB
     * sticks (usb-storage and UAS behind xHCI/EHCI/OHCI/UHCI), SD/MMC cards, the paravirtual disks of
     * VMware, Hyper-V and Xen, and common SAS/RAID HBAs; plus ext4, the usual root filesystem. Names
     * this kernel lacks or has built in are skipped. The init loads a device driver only when coldplug
     * or a uevent finds its device, so a generic image costs space, not boot time. "filesystems" covers
     * the other roots the init mounts: read-only images (squashfs, erofs), overlay for liftoff.overlay=,
     * and xfs, btrfs, vfat (with the nls tables a FAT mount asks for). "verity" is device-mapper with
     * the dm-verity target for roothash= roots.
     */
    public static final Map<String, List<String>> GROUPS = Map.of(
            "storage", List.of(
                    "virtio_pci", "virtio_blk", "virtio_scsi",
                    "nvme",
                    "ahci", "ata_piix", "ata_generic", "pata_acpi", "sd_mod", "sr_mod",
                    "xhci_pci", "ehci_pci", "ohci_pci", "uhci_hcd", "usb_storage", "uas",
                    "sdhci_pci", "sdhci_acpi", "mmc_block",
                    "vmw_pvscsi", "hv_storvsc", "xen_blkfront", "xen_scsifront",
                    "mptspi", "mptsas", "megaraid_sas", "mpt3sas", "aacraid", "hpsa", "smartpqi",
                    "ext4"),
            "filesystems", List.of("ext4", "squashfs", "erofs", "overlay", "xfs", "btrfs", "vfat",
                    "nls_cp437", "nls_ascii", "nls_utf8"),   // FAT's default codepage and character sets
            // dm-verity roots (roothash=): device-mapper, the target, and sha512 (sha1/sha256 are usually built in).
            "verity", List.of("dm_mod", "dm_verity", "sha512_generic"),
            // LUKS (rd.luks.*): device-mapper and dm-crypt; with dm-crypt come its ciphers' modules (select).
            "crypt", List.of("dm_mod", "dm_crypt"));

    /**
     * Groups whose modules ship in the image but are not loaded at once (nor by coldplug: they serve no
     * device): the init loads a filesystem's module (by its "fs-TYPE" alias) only when the root needs it, device-mapper targets
     * (dm-verity, dm-crypt) only when the command line asks for them. Loading them all would cost every boot time (btrfs
     * alone pulls in raid6_pq, which benchmarks its algorithms).
     */
    static final Set<String> ON_DEMAND_GROUPS = Set.of("filesystems", "verity", "crypt");

    /** The device-mapper target of LUKS volumes: a selection with it gets its ciphers' modules (select). */
    static final String DM_CRYPT = "dm_crypt";

    /**
     * What a configuration without MODULES gets: every disk driver, every root filesystem, dm-verity
     * and dm-crypt (0.6 MB each, loaded on demand: no boot time).
     */
    public static final List<String> DEFAULT = List.of("storage", "filesystems", "verity", "crypt");

    /**
     * The modules chosen for one kernel.
     *
     * @param database the kernel's indexes
     * @param modules  in load order, dependencies first
     * @param eager    the part of {@code modules} the init loads at once, in load order: what no device
     *                 asks for by modalias (filesystems, device-mapper targets) with its dependencies;
     *                 device drivers wait for their device (coldplug, uevents)
     * @param onDemand the names among {@code modules} that only the on-demand groups need: the init
     *                 loads them when a root asks (fs-TYPE, roothash=, rd.luks.*), never by modalias
     * @param firmware firmware files by path relative to the firmware directory → host file
     * @param notes    what was skipped and why, and missing firmware: for the build log, not errors
     */
    public record Selection(ModuleDatabase database, String kernelVersion, List<ModuleDatabase.Module> modules,
            List<ModuleDatabase.Module> eager, Set<String> onDemand, SortedMap<String, Path> firmware, List<String> notes) {

        /** The compressed modules: the init needs finit_module's MODULE_INIT_COMPRESSED_FILE (Linux 6.4+) for them. */
        public List<ModuleDatabase.Module> compressed() {
            return modules.stream().filter(m -> !m.compression().isEmpty()).toList();
        }

        public Set<String> names() {
            return modules.stream().map(ModuleDatabase.Module::name).collect(Collectors.toCollection(LinkedHashSet::new));
        }
    }

    private KernelModules() {}

    /**
     * Selects {@code requested} (module names, aliases or {@link #GROUPS} names) for the kernel in
     * {@code modulesBase/kernelVersion}.
     *
     * @throws IOException when an explicitly requested name is neither a module nor builtin, naming modules.dep
     */
    public static Selection select(Path modulesBase, String kernelVersion, List<String> requested, Path firmwareDir)
            throws IOException {
        return select(modulesBase, kernelVersion, requested, List.of(), firmwareDir);
    }

    /**
     * The same, plus {@code hostCiphers}: the dm-crypt ciphers of the build host's encrypted devices
     * ("serpent-xts-plain64", from /etc/crypttab). A selection with dm_crypt also gets the modules of
     * those ciphers and of cryptsetup's defaults ({@link KernelCipher#CRYPTSETUP_DEFAULTS}), as
     * initramfs-tools' cryptroot hook adds them: dm-crypt asks the kernel's crypto API for "xts(aes)"
     * when its table loads, the crypto API asks modprobe for "crypto-xts", and the initramfs has no
     * modprobe, so without the modules in the image the table fails with ENOENT. They ship on demand
     * (the init loads them by alias when it opens a LUKS device); those this kernel has built in need
     * nothing, and a name with no module is a note.
     */
    public static Selection select(Path modulesBase, String kernelVersion, List<String> requested, List<String> hostCiphers,
            Path firmwareDir) throws IOException {
        ModuleDatabase database = ModuleDatabase.load(modulesBase.resolve(kernelVersion));
        List<String> notes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> bootNames = new ArrayList<>();
        Set<String> optional = new LinkedHashSet<>();
        for (String name : requested) {
            List<String> group = GROUPS.get(name);
            names.addAll(group != null ? group : List.of(name));
            if (!ON_DEMAND_GROUPS.contains(name)) {
                bootNames.addAll(group != null ? group : List.of(name));
            }
            if (group != null) {
                optional.addAll(group);
            }
        }
        if (names.stream().map(ModuleDatabase::normalize).anyMatch(DM_CRYPT::equals)) {
            for (String alias : cipherModules(database, hostCiphers, notes)) {
                if (names.contains(alias)) continue;
                names.add(alias);
                optional.add(alias);
            }
        }
        for (String name : new LinkedHashSet<>(names)) {
            if (database.isBuiltin(name)) {
                notes.add(name + ": built into " + kernelVersion);
            }
        }
        List<String> unknown = new ArrayList<>();
        List<ModuleDatabase.Module> modules = database.loadOrder(names, name -> {
            if (optional.contains(name)) {
                notes.add(name + ": not in " + kernelVersion + ", skipped");
            } else if (requested.contains(name)) {
                unknown.add(name);
            } else {
                notes.add(name + ": a softdep or dependency that is not in " + kernelVersion + ", skipped");
            }
        });
        if (!unknown.isEmpty()) {
            throw new IOException(database.kernelDir().resolve("modules.dep") + ": no module " + String.join(", ", unknown)
                    + " (neither listed there, nor an alias, nor in modules.builtin)");
        }
        List<String> notDrivers = bootNames.stream().filter(name -> !database.isDeviceDriver(name)).toList();
        List<ModuleDatabase.Module> eager = database.loadOrder(notDrivers, name -> { });
        Set<String> onDemand = modules.stream().map(ModuleDatabase.Module::name).collect(Collectors.toCollection(LinkedHashSet::new));
        database.loadOrder(bootNames, name -> { }).forEach(m -> onDemand.remove(m.name()));
        return new Selection(database, kernelVersion, modules, eager, Set.copyOf(onDemand),
                firmware(database, modules, firmwareDir, notes), notes);
    }

    /**
     * The modules.alias names ("crypto-xts") of the modules that cryptsetup's default ciphers and
     * {@code hostCiphers} need, for those this kernel has a module for; a note for each other one.
     */
    private static List<String> cipherModules(ModuleDatabase database, List<String> hostCiphers, List<String> notes) {
        String kernelVersion = database.kernelDir().getFileName().toString();
        Set<String> aliases = new LinkedHashSet<>();
        Set<String> absent = new LinkedHashSet<>();
        Set<String> ciphers = new LinkedHashSet<>(KernelCipher.CRYPTSETUP_DEFAULTS);
        ciphers.addAll(hostCiphers);
        for (String spec : ciphers) {
            for (String alias : KernelCipher.of(spec).moduleAliases()) {
                if (!database.findAll(alias).isEmpty()) {
                    aliases.add(alias);
                } else if (absent.add(alias)) {
                    notes.add(alias + " (for " + spec + "): no module in " + kernelVersion + " (built in, or not in this kernel)");
                }
            }
        }
        return List.copyOf(aliases);
    }

    /** The firmware files {@code modules} declare and the host has; a note for each one it lacks. */
    private static SortedMap<String, Path> firmware(ModuleDatabase database, List<ModuleDatabase.Module> modules,
            Path firmwareDir, List<String> notes) throws IOException {
        String kernelVersion = database.kernelDir().getFileName().toString();
        SortedMap<String, Path> firmware = new TreeMap<>();
        for (ModuleDatabase.Module module : modules) {
            Path file = database.kernelDir().resolve(module.path());
            if (!Files.isRegularFile(file)) {
                throw new IOException(database.kernelDir().resolve("modules.dep") + ": lists " + module.path()
                        + ", which does not exist (stale modules.dep? run depmod " + kernelVersion + ")");
            }
            for (String name : ModuleFirmware.declared(file)) {
                Optional<Path> found = ModuleFirmware.locate(name, firmwareDir, kernelVersion);
                if (found.isPresent()) {
                    firmware.put(firmwareDir.relativize(found.get()).toString(), found.get());
                } else {
                    notes.add(module.name() + ": firmware " + name + " not found under " + firmwareDir + " (warning)");
                }
            }
        }
        return firmware;
    }
}
