package liftoff.sys;

/**
 * What differs between the 64-bit architectures liftoff runs on: open(2) flags and the syscall
 * numbers. Everything else (struct statx, struct linux_dirent64, struct statfs on LP64) has one
 * layout. x86_64 has its own numbering; arm64 and riscv64 share asm-generic's.
 */
final class Arch {
    static final int O_DIRECTORY;
    static final int O_NOFOLLOW;

    /** Syscall numbers, x86_64 first, asm-generic second. */
    enum Nr {
        MOUNT(165, 40), UMOUNT2(166, 39), PIVOT_ROOT(155, 41),
        OPENAT(257, 56), READ(0, 63), WRITE(1, 64), CLOSE(3, 57), GETDENTS64(217, 61), UNLINKAT(263, 35), MKDIRAT(258, 34),
        MKNODAT(259, 33), SYMLINKAT(266, 36), READLINKAT(267, 78), LINKAT(265, 37), FCHOWNAT(260, 54),
        FCHMODAT(268, 53), UTIMENSAT(280, 88), SENDFILE(40, 71), STATX(332, 291), STATFS(137, 43),
        FSTATFS(138, 44), CHROOT(161, 51), CHDIR(80, 49), FCHDIR(81, 50),
        EXECVE(59, 221), SETSID(112, 157), KILL(62, 129), WAIT4(61, 260), DUP3(292, 24), SYNC(162, 81),
        REBOOT(169, 142), FINIT_MODULE(313, 273), IOCTL(16, 29), SYSLOG(103, 116),
        SOCKET(41, 198), BIND(49, 200), SETSOCKOPT(54, 208), RECVFROM(45, 207), PPOLL(271, 73), EVENTFD2(290, 19),
        ADD_KEY(248, 217), KEYCTL(250, 219), CLOSE_RANGE(436, 436);

        final long number;

        Nr(long x86_64, long generic) {
            this.number = X86_64 ? x86_64 : generic;
        }
    }

    private static final boolean X86_64;

    static {
        String arch = System.getProperty("os.arch");
        switch (arch) {
            case "amd64", "x86_64" -> {
                X86_64 = true;
                O_DIRECTORY = 0x10000;
                O_NOFOLLOW = 0x20000;
            }
            case "aarch64" -> {
                X86_64 = false;
                O_DIRECTORY = 0x4000;
                O_NOFOLLOW = 0x8000;
            }
            case "riscv64" -> {
                X86_64 = false;
                O_DIRECTORY = 0x10000;
                O_NOFOLLOW = 0x20000;
            }
            default -> throw new ExceptionInInitializerError("liftoff supports x86_64, aarch64 and riscv64, not " + arch);
        }
    }

    private Arch() {}
}
