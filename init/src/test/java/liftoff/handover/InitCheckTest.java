package liftoff.handover;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An init the kernel could not run is refused before the switch, with the reason: real x86-64
 * programs from this machine in a made-up root, ELF headers made here for other machines, scripts,
 * damaged files, and a file whose last block cannot be read (a squashfs with a corrupted block).
 */
class InitCheckTest {
    private static final InitCheck.Machine X86_64 = new InitCheck.Machine(true, true, 62);
    private static final String LOADER = "/lib64/ld-linux-x86-64.so.2";

    @TempDir
    Path root;

    private Path put(String path, byte[] content) throws IOException {
        Path file = root.resolve(path.substring(1));
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private Path put(String path, String content) throws IOException {
        return put(path, content.getBytes());
    }

    /** This machine's dynamic loader at Debian's place in the root, reached by /lib64's absolute link as on the host. */
    private void putLoader() throws IOException {
        put("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", Files.readAllBytes(Path.of(LOADER).toRealPath()));
        Files.createDirectories(root.resolve("lib64"));
        Files.createSymbolicLink(root.resolve(LOADER.substring(1)), Path.of("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
    }

    private String refusal(String init) {
        return assertThrows(HandoverException.class, () -> InitCheck.verify(root, init, X86_64, false)).getMessage();
    }

    /** An ELF header with one program header (PT_LOAD), as a linker makes it for {@code machine}. */
    private static byte[] elf(boolean is64, int machine) {
        int header = is64 ? 64 : 52;
        int phentsize = is64 ? 56 : 32;
        ByteBuffer b = ByteBuffer.allocate(header + phentsize).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) machine).putInt(20, 1);
        if (is64) {
            b.putLong(32, header).putShort(52, (short) header).putShort(54, (short) phentsize).putShort(56, (short) 1);
        } else {
            b.putInt(28, header).putShort(40, (short) header).putShort(42, (short) phentsize).putShort(44, (short) 1);
        }
        b.putInt(header, 1);   // PT_LOAD
        return b.array();
    }

    @Test
    void thisMachinesOwnProgramWithItsLoaderInsideTheNewRoot() throws IOException {
        assertEquals(X86_64, InitCheck.runningMachine(), "the JVM running the tests is an x86-64 program");
        put("/lib/systemd/systemd", Files.readAllBytes(Path.of("/usr/bin/true")));
        Files.createSymbolicLink(Files.createDirectories(root.resolve("sbin")).resolve("init"), Path.of("/lib/systemd/systemd"));
        // The host has the loader, the new root not yet: the check looks inside the new root.
        assertEquals("cannot start the program interpreter " + LOADER + " of /sbin/init: it does not exist in the new root " + root,
                refusal("/sbin/init"));
        putLoader();
        assertDoesNotThrow(() -> InitCheck.verify(root, "/sbin/init"));
    }

    @Test
    void aProgramForAnotherMachine() throws IOException {
        put("/sbin/init", elf(true, 183));
        assertEquals("cannot start /sbin/init: it is built for AArch64 (64-bit, little-endian), and this machine is x86-64"
                + " (64-bit, little-endian)", refusal("/sbin/init"));
    }

    @Test
    void i386RunsOnlyWhereTheKernelHas32BitSupport() throws IOException {
        put("/sbin/init", elf(false, 3));
        assertEquals("cannot start /sbin/init: it is built for i386 (32-bit, little-endian), and this machine is x86-64"
                + " (64-bit, little-endian)", refusal("/sbin/init"));
        assertDoesNotThrow(() -> InitCheck.verify(root, "/sbin/init", X86_64, true));
    }

    @Test
    void aScriptWhoseInterpreterIsMissing() throws IOException {
        put("/sbin/init", "#! /usr/bin/python3 -u\nprint('up')\n");
        assertEquals("cannot start the interpreter /usr/bin/python3 of /sbin/init: it does not exist in the new root " + root,
                refusal("/sbin/init"));
    }

    @Test
    void scriptsRunThroughTheirInterpretersAtMostFiveDeep() throws IOException {
        put("/bin/sh", Files.readAllBytes(Path.of("/usr/bin/true")));
        putLoader();
        // /sbin/init, then level1 to level4, name five interpreters, the last one /bin/sh.
        put("/sbin/init", "#!/etc/level1\n");
        for (int level = 1; level <= 3; level++) put("/etc/level" + level, "#!/etc/level" + (level + 1) + "\n");
        put("/etc/level4", "#!/bin/sh\n");
        assertDoesNotThrow(() -> InitCheck.verify(root, "/sbin/init", X86_64, false));
        put("/etc/level4", "#!/etc/level5\n");
        put("/etc/level5", "#!/bin/sh\n");
        assertEquals("cannot start /sbin/init: more than 5 #! interpreters in a chain (the kernel refuses with ELOOP)", refusal("/sbin/init"));
    }

    @Test
    void damagedFiles() throws IOException {
        byte[] program = Files.readAllBytes(Path.of("/usr/bin/true"));
        put("/sbin/init", Arrays.copyOf(program, 40));
        assertEquals("cannot start /sbin/init: truncated, 40 bytes are not an ELF header", refusal("/sbin/init"));
        put("/sbin/init", Arrays.copyOf(program, 100));
        assertTrue(refusal("/sbin/init").startsWith("cannot start /sbin/init: its program headers ("), refusal("/sbin/init"));
        put("/sbin/init", new byte[0]);
        assertEquals("cannot start /sbin/init: it is neither an ELF executable nor a #! script (it is empty)", refusal("/sbin/init"));
        put("/sbin/init", "#!   \n");
        assertEquals("cannot start /sbin/init: its #! line names no interpreter", refusal("/sbin/init"));
        put("/bin/sh", "not a program");
        put("/sbin/init", "#!/bin/sh\n");
        assertEquals("cannot start the interpreter /bin/sh of /sbin/init: it is neither an ELF executable nor a #! script",
                refusal("/sbin/init"));
        Files.setPosixFilePermissions(root.resolve("bin/sh"), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("cannot start the interpreter /bin/sh of /sbin/init: it is not executable", refusal("/sbin/init"));
    }

    /**
     * A block that cannot be read near the end of the init: a squashfs whose last compressed data
     * block is damaged, mounted from a loop device, reads EIO there as a dm-verity root does at a
     * block that fails its hash. The header alone would pass. Needs root (mount).
     */
    @Test
    @Tag("root")
    void aBlockThatCannotBeReadAnywhereInTheFile(@TempDir Path work) throws Exception {
        StringBuilder script = new StringBuilder("#!/bin/sh\n");
        for (int line = 0; script.length() < 384 * 1024; line++) script.append("echo line ").append(line).append('\n');
        Path tree = Files.createDirectories(work.resolve("tree/sbin"));
        Files.writeString(tree.resolve("init"), script);
        Files.setPosixFilePermissions(tree.resolve("init"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path image = work.resolve("root.squashfs");
        run("mksquashfs", work.resolve("tree").toString(), image.toString(), "-noappend", "-no-fragments", "-comp", "gzip", "-quiet");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(64);   // the superblock's inode_table_start: the data blocks end there
            long dataEnd = Long.reverseBytes(f.readLong());
            f.seek(dataEnd - 200);
            f.write(new byte[100]);
        }
        Path mounted = Files.createDirectories(work.resolve("mnt"));
        run("mount", "-t", "squashfs", "-o", "loop,ro", image.toString(), mounted.toString());
        try {
            String why = assertThrows(HandoverException.class, () -> InitCheck.verify(mounted, "/sbin/init", X86_64, false)).getMessage();
            assertTrue(why.matches("cannot start /sbin/init: reading " + mounted + "/sbin/init failed after (\\d+) bytes:"
                    + " Input/output error \\(the exec would fail the same way\\)"), why);
            long after = Long.parseLong(why.replaceAll(".* failed after (\\d+) bytes.*", "$1"));
            assertTrue(after >= 128 * 1024, "the first blocks were read: " + why);
        } finally {
            run("umount", mounted.toString());
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }
}
