package liftoff.image.qemu;

import java.nio.file.Path;

/**
 * UEFI firmware for QEMU from Debian's ovmf package: a read-only code image and a variable store
 * template, of which each guest gets its own writable copy ({@link Qemu#uefi}).
 *
 * @param secureBoot the variables enrol keys and turn Secure Boot on; such code images need SMM
 *                   (q35 with {@code smm=on}) to keep the variables out of the guest's reach
 */
public record Ovmf(Path code, Path varsTemplate, boolean secureBoot) {
    public static final String DEBIAN_PACKAGE = "ovmf";
    private static final Path DIR = Path.of("/usr/share/OVMF");

    /** Secure Boot off: an empty key store. */
    public static final Ovmf STANDARD = new Ovmf(DIR.resolve("OVMF_CODE_4M.fd"), DIR.resolve("OVMF_VARS_4M.fd"), false);

    /**
     * Secure Boot on and enforced, with Debian's "snakeoil" test key as PK, KEK and db: only images
     * signed with {@link #SNAKEOIL_KEY} start. For testing only; the private key is public.
     */
    public static final Ovmf SNAKEOIL = new Ovmf(DIR.resolve("OVMF_CODE_4M.snakeoil.fd"), DIR.resolve("OVMF_VARS_4M.snakeoil.fd"), true);
    public static final Path SNAKEOIL_KEY = Path.of("/usr/share/ovmf/PkKek-1-snakeoil.key");
    public static final Path SNAKEOIL_CERT = Path.of("/usr/share/ovmf/PkKek-1-snakeoil.pem");
    /** The key is encrypted; the package's README.Debian gives the passphrase. */
    public static final String SNAKEOIL_PASSPHRASE = "snakeoil";
}
