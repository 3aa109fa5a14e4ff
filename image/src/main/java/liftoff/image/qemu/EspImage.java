package liftoff.image.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A FAT file system image holding one UEFI application at the removable-media boot path,
 * {@code \EFI\BOOT\BOOTX64.EFI}: what UEFI firmware starts from a disk when it has no boot entries.
 * The file system is the whole disk, without a partition table (OVMF reads such a disk as one
 * volume). Made with mkfs.vfat and mtools' mmd and mcopy, without mounting anything.
 */
public final class EspImage {
    /** Room beyond the application: FAT tables, directories, and slack. */
    private static final long SPARE_KIB = 8 * 1024;

    private EspImage() {}

    /** Writes (replaces) {@code image} with {@code application} as \EFI\BOOT\BOOTX64.EFI. */
    public static void write(Path image, Path application) throws IOException {
        Path mkfs = HostTools.require("mkfs.vfat", "dosfstools");
        Path mmd = HostTools.require("mmd", "mtools");
        Path mcopy = HostTools.require("mcopy", "mtools");
        long kib = (Files.size(application) + 1023) / 1024 + SPARE_KIB;
        Files.deleteIfExists(image);   // mkfs.vfat -C creates the file and refuses an existing one
        HostTools.run(List.of(mkfs.toString(), "-C", "-n", "LIFTOFF-ESP", "-i", "4c494654", image.toString(), Long.toString(kib)), Map.of());
        HostTools.run(List.of(mmd.toString(), "-i", image.toString(), "::/EFI", "::/EFI/BOOT"), Map.of());
        HostTools.run(List.of(mcopy.toString(), "-i", image.toString(), application.toString(), "::/EFI/BOOT/BOOTX64.EFI"), Map.of());
    }
}
