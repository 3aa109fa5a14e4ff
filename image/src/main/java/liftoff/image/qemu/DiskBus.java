package liftoff.image.qemu;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How a disk is attached to the guest. Each bus needs different guest drivers, which is the point of
 * testing more than one: on Debian's cloud kernel virtio_pci + virtio_blk (virtio-blk),
 * virtio_pci + virtio_scsi + sd_mod (virtio-scsi), ata_piix + sd_mod (ide, {@code -machine pc} only:
 * the cloud kernel has no AHCI driver for q35's controller) are modules; nvme is built in. AHCI
 * ({@code -machine q35} only: its ICH9 SATA controller) needs ahci + sd_mod from the generic kernel.
 */
public enum DiskBus {
    VIRTIO_BLK("virtio-blk"),
    VIRTIO_SCSI("virtio-scsi"),
    NVME("nvme"),
    IDE("ide"),
    AHCI("ahci");

    private final String cliName;

    DiskBus(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line: virtio-blk, virtio-scsi, nvme, ide, ahci. */
    public String cliName() {
        return cliName;
    }

    public static DiskBus byCliName(String name) {
        for (DiskBus bus : values()) {
            if (bus.cliName.equals(name)) return bus;
        }
        throw new IllegalArgumentException("unknown disk bus '" + name + "' (expected one of "
                + Arrays.stream(values()).map(DiskBus::cliName).collect(Collectors.joining(", ")) + ")");
    }

    /** QEMU arguments for the controller this bus needs once per machine, before any of its disks. */
    List<String> controller() {
        return this == VIRTIO_SCSI ? List.of("-device", "virtio-scsi-pci,id=scsi") : List.of();
    }

    /** The {@code -device} arguments that attach drive {@code driveId} as the index-th disk of this bus. */
    List<String> device(String driveId, int index) {
        String device = switch (this) {
            case VIRTIO_BLK -> "virtio-blk-pci,drive=" + driveId;
            case VIRTIO_SCSI -> "scsi-hd,bus=scsi.0,drive=" + driveId;
            case NVME -> "nvme,serial=liftoff" + index + ",drive=" + driveId;
            // One disk per IDE channel, as master; PIIX has two channels, hence at most two disks.
            // On q35 the same names are the six ports of the ICH9 AHCI controller.
            case IDE, AHCI -> "ide-hd,bus=ide." + index + ",drive=" + driveId;
        };
        return List.of("-device", device);
    }

    /**
     * The guest's name for the index-th disk on this bus, when all disks sit on this one bus
     * (virtio-scsi and ide disks share the sd namespace).
     */
    public String guestDevice(int index) {
        return switch (this) {
            case VIRTIO_BLK -> "/dev/vd" + (char) ('a' + index);
            case VIRTIO_SCSI, IDE, AHCI -> "/dev/sd" + (char) ('a' + index);
            case NVME -> "/dev/nvme" + index + "n1";
        };
    }
}
