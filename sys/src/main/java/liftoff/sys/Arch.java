package liftoff.sys;

/**
 * The few numbers that differ between the 64-bit architectures liftoff runs on: open(2) flags
 * and the syscalls the C library has no wrapper for. Everything else (struct statx, struct
 * linux_dirent64, struct statfs on LP64) has one layout.
 */
final class Arch {
    static final int O_DIRECTORY;
    static final int O_NOFOLLOW;
    static final long SYS_FINIT_MODULE;

    static {
        String arch = System.getProperty("os.arch");
        switch (arch) {
            case "amd64", "x86_64" -> {
                O_DIRECTORY = 0x10000;
                O_NOFOLLOW = 0x20000;
                SYS_FINIT_MODULE = 313;
            }
            case "aarch64", "riscv64" -> {
                // The asm-generic numbering, shared by arm64 and riscv64.
                O_DIRECTORY = "aarch64".equals(arch) ? 0x4000 : 0x10000;
                O_NOFOLLOW = "aarch64".equals(arch) ? 0x8000 : 0x20000;
                SYS_FINIT_MODULE = 273;
            }
            default -> throw new ExceptionInInitializerError("liftoff supports x86_64, aarch64 and riscv64, not " + arch);
        }
    }

    private Arch() {}
}
