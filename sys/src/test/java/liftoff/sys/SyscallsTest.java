package liftoff.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The syscall layer against the real kernel: no mocks; calls that need no privilege. */
class SyscallsTest {
    @TempDir
    Path dir;

    @Test
    void aLogonKeyGoesIntoTheProcessKeyringWithoutItsSecretInAnyMessage() {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        int key = Keys.add("logon", "liftoff:test-" + ProcessHandle.current().pid(), secret, Keys.PROCESS_KEYRING);
        assertTrue(key > 0, "serial " + key);
        Keys.unlink(key, Keys.PROCESS_KEYRING);
        SyscallException gone = assertThrows(SyscallException.class, () -> Keys.unlink(key, Keys.PROCESS_KEYRING));
        assertEquals("ENOENT", gone.errnoName());
        // A logon key's description needs a "service:" prefix; the error names the call, never the bytes.
        SyscallException refused = assertThrows(SyscallException.class,
                () -> Keys.add("logon", "no-prefix", secret, Keys.PROCESS_KEYRING));
        assertEquals("EINVAL", refused.errnoName());
        assertTrue(refused.getMessage().startsWith("add_key(") && refused.getMessage().contains("<32 secret bytes>")
                && !refused.getMessage().contains("0123456789"), refused.getMessage());
    }

    @Test
    void readIfPresentReadsSmallFilesAndAnswersNullForMissingOnes() throws IOException {
        Files.writeString(dir.resolve("modalias"), "pci:v00001AF4d00001001\n");
        int fd = Fs.openDirectory(dir.toString());
        try {
            assertArrayEquals("pci:v00001AF4d00001001\n".getBytes(StandardCharsets.US_ASCII),
                    Fs.readIfPresent(fd, "modalias".getBytes(StandardCharsets.US_ASCII), 4096));
            assertArrayEquals("pci:".getBytes(StandardCharsets.US_ASCII), Fs.readIfPresent(fd, "modalias".getBytes(StandardCharsets.US_ASCII), 4));
            assertEquals(null, Fs.readIfPresent(fd, "missing".getBytes(StandardCharsets.US_ASCII), 4096));
            assertEquals(null, Fs.readIfPresent(fd, "modalias/below-a-file".getBytes(StandardCharsets.US_ASCII), 4096));
            SyscallException e = assertThrows(SyscallException.class, () -> Fs.readIfPresent(fd, ".".getBytes(StandardCharsets.US_ASCII), 4096));
            assertEquals(Errno.EISDIR, e.errno(), e.getMessage());
        } finally {
            Fs.close(fd);
        }
    }

    @Test
    void failureNamesTheCallItsArgumentsAndTheErrno() {
        SyscallException e = assertThrows(SyscallException.class,
                () -> Mounts.mount("/dev/liftoff-no-such-device", dir.resolve("missing").toString(), "ext4", 0, null));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("ENOENT", e.errnoName());
        assertEquals("mount(\"/dev/liftoff-no-such-device\", \"" + dir.resolve("missing") + "\", \"ext4\"): "
                + "ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void flagsPrintSymbolically() {
        SyscallException e = assertThrows(SyscallException.class,
                () -> Mounts.mount(dir.resolve("a").toString(), dir.resolve("b").toString(), null,
                        Mounts.MS_MOVE | Mounts.MS_REC | (1L << 40), null));
        assertTrue(e.getMessage().contains(", NULL, MS_MOVE|MS_REC|0x10000000000): "), e.getMessage());
        SyscallException u = assertThrows(SyscallException.class,
                () -> Mounts.umount(dir.resolve("not-mounted").toString(), Mounts.MNT_DETACH));
        assertTrue(u.getMessage().startsWith("umount2(\"" + dir.resolve("not-mounted") + "\", MNT_DETACH): "), u.getMessage());
    }

    @Test
    void statxSeesWhatJavaSees() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "hello");
        Files.createSymbolicLink(dir.resolve("link"), file);
        Stat s = Fs.lstat(file.toString());
        assertTrue(s.isRegularFile());
        assertEquals(5, s.size());
        assertEquals(Files.getAttribute(file, "unix:ino"), s.ino());
        assertEquals(Files.getAttribute(file, "unix:dev"), s.dev());
        assertEquals(Files.getAttribute(file, "unix:mode"), s.mode());
        assertEquals(1, s.nlink());
        assertTrue(Fs.lstat(dir.resolve("link").toString()).isSymlink());
        assertTrue(Fs.stat(dir.resolve("link").toString()).isRegularFile());
        assertTrue(Fs.lstat(dir.toString()).isDirectory());
    }

    @Test
    void devEncodingRoundTrips() {
        long dev = Stat.makedev(259, 1_048_575);
        assertEquals(259, Stat.major(dev));
        assertEquals(1_048_575, Stat.minor(dev));
        assertEquals(0x801L, Stat.makedev(8, 1));
    }

    @Test
    void statfsKnowsProcAndTheTestFilesystem() {
        assertEquals(StatFs.PROC_SUPER_MAGIC, Fs.statfs("/proc").type());
        assertEquals("proc", Fs.statfs("/proc").typeName());
        int fd = Fs.openDirectory(dir.toString());
        try {
            assertEquals(Fs.statfs(dir.toString()).type(), Fs.fstatfs(fd).type());
        } finally {
            Fs.close(fd);
        }
    }

    @Test
    void directoryWalkWithRawNames() throws IOException {
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);   // not valid UTF-8
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("plain"), "x");
        int fd = Fs.openDirectory(dir.toString());
        try {
            int made = Fs.openat(fd, latin1, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_CLOEXEC, 0644);
            Fs.close(made);
            List<DirEntry> entries = Fs.readDirectory(fd);
            Set<String> names = new TreeSet<>();
            byte[] found = null;
            for (DirEntry e : entries) {
                if (e.isDotOrDotDot()) continue;
                names.add(e.displayName());
                if (e.name().length == 4 && e.name()[3] == (byte) 0xe9) found = e.name();
            }
            assertEquals(3, names.size(), names.toString());
            assertArrayEquals(latin1, found);
            Fs.unlinkat(fd, latin1, 0);
            Fs.unlinkat(fd, "sub".getBytes(StandardCharsets.UTF_8), Fs.AT_REMOVEDIR);
            assertFalse(Files.exists(dir.resolve("sub")));
            SyscallException notEmpty = assertThrows(SyscallException.class,
                    () -> Fs.unlinkat(Fs.AT_FDCWD, dir.toString().getBytes(StandardCharsets.UTF_8), Fs.AT_REMOVEDIR));
            assertEquals(Errno.ENOTEMPTY, notEmpty.errno());
        } finally {
            Fs.close(fd);
        }
    }

    @Test
    void openDirectoryRefusesToFollowASymlink() throws IOException {
        Files.createDirectory(dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("real"));
        SyscallException e = assertThrows(SyscallException.class, () -> Fs.openDirectory(dir.resolve("alias").toString()));
        assertTrue(e.errno() == Errno.ELOOP || e.errno() == Errno.ENOTDIR, e.getMessage());
    }

    @Test
    void mkdiratSymlinkatAndFifo() {
        int fd = Fs.openDirectory(dir.toString());
        try {
            Fs.mkdirat(fd, "d", 0750);
            Fs.symlinkat("d", fd, "l");
            Fs.mknodat(fd, "fifo", Stat.S_IFIFO | 0600, 0);
            assertTrue(Files.isDirectory(dir.resolve("d")));
            assertTrue(Files.isSymbolicLink(dir.resolve("l")));
            assertEquals(Stat.S_IFIFO, Fs.lstat(dir.resolve("fifo").toString()).mode() & Stat.S_IFMT);
            SyscallException exists = assertThrows(SyscallException.class, () -> Fs.mkdirat(fd, "d", 0755));
            assertEquals(Errno.EEXIST, exists.errno());
        } finally {
            Fs.close(fd);
        }
    }

    @Test
    void waitStatusDecodesLikeTheCMacros() {
        // The raw values are what the kernel stores: exit code in bits 8-15, signal in bits 0-6.
        Processes.WaitStatus exited = new Processes.WaitStatus(42, 7 << 8);
        assertTrue(exited.exited());
        assertFalse(exited.signaled());
        assertEquals(7, exited.exitCode());
        Processes.WaitStatus killed = new Processes.WaitStatus(42, Processes.SIGKILL);
        assertTrue(killed.signaled());
        assertEquals(Processes.SIGKILL, killed.signal());
        assertEquals("signal 9", killed.toString());
        Processes.WaitStatus stopped = new Processes.WaitStatus(42, (19 << 8) | 0x7f);
        assertFalse(stopped.exited());
        assertFalse(stopped.signaled());
    }

    @Test
    void waitpidWithoutChildrenIsEchild() {
        // Java's own reaper thread waits for the children ProcessBuilder starts, so the real reaping
        // is exercised where liftoff is PID 1 (the QEMU boot tests); here the kernel's refusal.
        SyscallException none = assertThrows(SyscallException.class, () -> Processes.waitpid(999_999, Processes.WNOHANG));
        assertEquals(Errno.ECHILD, none.errno());
    }

    @Test
    void closeOnExecFromFlagsEveryDescriptorFromTheLowestUp() throws IOException {
        Path file = Files.writeString(dir.resolve("held"), "x");
        int fd = Fs.openat(Fs.AT_FDCWD, file.toString(), Fs.O_RDONLY, 0);
        try {
            assertFalse(closeOnExec(fd), "opened without O_CLOEXEC");
            Processes.closeOnExecFrom(fd);
            assertTrue(closeOnExec(fd));
        } finally {
            Fs.close(fd);
        }
    }

    /** Whether /proc/self/fdinfo says {@code fd} has O_CLOEXEC (its "flags:" are octal). */
    private static boolean closeOnExec(int fd) throws IOException {
        String flags = Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd)).stream().filter(l -> l.startsWith("flags:"))
                .findFirst().orElseThrow().substring("flags:".length()).strip();
        return (Integer.parseInt(flags, 8) & Fs.O_CLOEXEC) != 0;
    }

    @Test
    void finitModuleReportsTheKernelsAnswer() throws IOException {
        // Not a module: the kernel refuses it (ENOEXEC, EINVAL) or, without privilege, EPERM; a kernel
        // built without module support (no /proc/modules, as on some CI hypervisors) says ENOSYS.
        Path notAModule = Files.writeString(dir.resolve("x.ko"), "not an ELF module");
        int fd = Fs.openat(Fs.AT_FDCWD, notAModule.toString(), Fs.O_RDONLY | Fs.O_CLOEXEC, 0);
        try {
            SyscallException e = assertThrows(SyscallException.class, () -> Modules.finitModule(fd, "", 0));
            if (Files.exists(Path.of("/proc/modules"))) {
                assertTrue(Set.of(Errno.ENOEXEC, Errno.EPERM, Errno.EINVAL).contains(e.errno()), e.getMessage());
            } else {
                assertEquals(Errno.ENOSYS, e.errno(), e.getMessage());
            }
        } finally {
            Fs.close(fd);
        }
    }

    @Test
    void ueventSocketReceivesTheEventAKernelDeviceSends() throws IOException {
        try (UeventSocket socket = UeventSocket.open()) {
            // Writing an action to a device's uevent file makes the kernel broadcast it (root only).
            Path trigger = Path.of("/sys/class/mem/null/uevent");
            Assumptions.assumeTrue(Files.isWritable(trigger), "needs root to trigger a uevent");
            Files.writeString(trigger, "change");
            Uevent event = null;
            for (long deadline = System.nanoTime() + 5_000_000_000L; System.nanoTime() < deadline; ) {
                Uevent e = socket.receive(1000).orElse(null);
                if (e != null && e.devpath().equals("/devices/virtual/mem/null") && e.action().equals("change")) {
                    event = e;
                    break;
                }
            }
            assertTrue(event != null, "the change event of /dev/null arrived");
            assertEquals("mem", event.subsystem());
            assertEquals("null", event.properties().get("DEVNAME"));
            assertEquals("change", event.properties().get("ACTION"));
        }
    }

    @Test
    void wakeEndsAReceiveThatWouldWaitForEverOnceAndQueuedEventsComeFirst() throws Exception {
        try (UeventSocket socket = UeventSocket.open()) {
            Thread waker = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                socket.wake();
            });
            assertTrue(msUntilEmpty(socket, -1) >= 150, "a wait for ever ended by the wake, not before");
            waker.join();
            assertTrue(msUntilEmpty(socket, 300) >= 300, "the wake-up was used up: the next wait lasts its time");

            socket.wake();
            socket.wake();
            Path trigger = Path.of("/sys/class/mem/null/uevent");
            Assumptions.assumeTrue(Files.isWritable(trigger), "needs root to trigger a uevent");
            Files.writeString(trigger, "change");
            assertTrue(socket.receive(0).isPresent(), "the queued event comes before the wake-ups");
            assertTrue(msUntilEmpty(socket, 0) < 300, "then the wake-up ends the wait");
            assertTrue(msUntilEmpty(socket, 300) >= 300, "two wake-ups end one wait");
        }
    }

    /** How long until receive(timeoutMs) gives nothing, skipping events the host's devices send meanwhile. */
    private static long msUntilEmpty(UeventSocket socket, long timeoutMs) {
        long start = System.nanoTime();
        while (socket.receive(timeoutMs).isPresent()) {
            // an event of the host's: not what is measured
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void ueventParsingTakesTheKernelFormatAndRejectsOthers() {
        byte[] kernel = "add@/devices/pci0000:00/0000:00:04.0/virtio1\0ACTION=add\0SUBSYSTEM=virtio\0MODALIAS=virtio:d00000002v00001AF4\0SEQNUM=9\0"
                .getBytes(StandardCharsets.UTF_8);
        Uevent e = Uevent.parse(kernel).orElseThrow();
        assertEquals("add", e.action());
        assertEquals("/devices/pci0000:00/0000:00:04.0/virtio1", e.devpath());
        assertEquals("virtio", e.subsystem());
        assertEquals("virtio:d00000002v00001AF4", e.modalias());
        assertTrue(Uevent.parse("libudev\0\1\2".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(Uevent.parse(new byte[0]).isEmpty());
    }

    @Test
    void errnoNamesComeFromTheCLibrary() {
        assertEquals("ENXIO", Errno.name(Errno.ENXIO));
        assertEquals("No such device or address", Errno.describe(Errno.ENXIO));
        assertEquals("EBUSY", Errno.name(16));
    }
}
