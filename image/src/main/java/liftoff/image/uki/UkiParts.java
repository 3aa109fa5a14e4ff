package liftoff.image.uki;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What goes into a unified kernel image (the UAPI Group's "Unified Kernel Image" specification).
 *
 * @param stub       the UEFI stub, systemd-stub's linuxx64.efi.stub
 * @param kernel     the kernel image, e.g. /boot/vmlinuz-KVER (.linux)
 * @param initrd     the initramfs (.initrd)
 * @param cmdline    the kernel command line (.cmdline); none when blank
 * @param osRelease  the os-release file of the OS the kernel boots (.osrel)
 * @param uname      the kernel release, `uname -r` of the booted kernel (.uname)
 * @param splash     a BMP the stub shows before it starts the kernel (.splash)
 * @param devicetree a compiled device tree (.dtb)
 * @param sbatLine   the builder's own SBAT line, added to the stub's and the kernel's (.sbat)
 */
public record UkiParts(Path stub, Path kernel, Path initrd, String cmdline, byte[] osRelease, String uname,
        Optional<Path> splash, Optional<Path> devicetree, String sbatLine) {
    /** Where Debian's systemd-boot-efi package installs systemd-stub for x86-64. */
    public static final Path DEFAULT_STUB = Path.of("/usr/lib/systemd/boot/efi/linuxx64.efi.stub");
    public static final String STUB_PACKAGE = "systemd-boot-efi";
}
