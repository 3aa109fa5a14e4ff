package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code liftoff switch-root} for real, as root, inside {@code unshare --mount --pid --fork}
 * sandboxes: real tmpfs and loop-mounted ext4 roots, real proc/sys/devtmpfs mounts, a real exec.
 * See src/test/resources/sandbox/switch-root.sh for the trees it builds.
 */
@Tag("root")
class SwitchRootSandboxTest {
    @TempDir
    Path work;

    @Test
    void switchesFromTmpfsToTmpfsAndEmptiesTheOldRoot() throws Exception {
        Run run = sandbox("tmpfs", "tmpfs", Map.of(), "/newroot", "/sbin/init", "a", "-b", "--c");
        run.assertInitRanInPlaceOfJava();
        assertTrue(run.has("INIT pid=" + run.prePid() + " argc=3 args=a -b --c"), run.output);
        run.assertApiMountsMovedOnce();
        assertTrue(run.has("INIT run=run-state"), "the /run mount moved with its contents\n" + run.output);
        // Only the mount points survive in the old root; their contents are untouched.
        assertEquals(List.of("PEEK /canary", "PEEK /host"), run.lines("PEEK "), run.output);
        assertCanaryIntact();
    }

    @Test
    void keepsAFileThatIsAMountPoint() throws Exception {
        Run run = sandbox("tmpfs", "tmpfs", Map.of("BOUND_FILE", "1"), "/newroot", "/sbin/init");
        run.assertInitRanInPlaceOfJava();
        assertEquals(List.of("PEEK /bound-file", "PEEK /canary", "PEEK /host"), run.lines("PEEK "), run.output);
        assertTrue(run.output.contains("3 mount points kept, 0 failures"), run.output);
        assertEquals("keep\n", Files.readString(work.resolve("canary-file")));
        assertCanaryIntact();
    }

    @Test
    void switchesIntoALoopMountedExt4Root() throws Exception {
        Run run = sandbox("tmpfs", "ext4", Map.of(), "/newroot", "/sbin/init");
        run.assertInitRanInPlaceOfJava();
        run.assertApiMountsMovedOnce();
        assertTrue(run.mountinfo().stream().anyMatch(l -> l.split(" ")[4].equals("/") && l.contains(" - ext4 ")), run.output);
        assertEquals(List.of("PEEK /canary", "PEEK /host"), run.lines("PEEK "), run.output);
        assertCanaryIntact();
    }

    @Test
    void keepsTheFilesOfAnOldRootThatIsNotInMemory() throws Exception {
        Run run = sandbox("ext4", "tmpfs", Map.of(), "/newroot", "/sbin/init");
        run.assertInitRanInPlaceOfJava();
        assertTrue(run.output.contains("the old root is ext2/3/4, not an initramfs (ramfs/tmpfs): its files are kept"), run.output);
        assertTrue(run.has("PEEK /data/deep/deeper/two"), run.output);
        assertTrue(run.has("PEEK /data/one-hardlink"), run.output);
    }

    @Test
    void refusesANewRootThatIsNotAMountPoint() throws Exception {
        Run run = sandbox("tmpfs", "tmpfs", Map.of("NO_NEWROOT_MOUNT", "1"), "/newroot", "/sbin/init");
        run.assertRefusedWithNothingChanged("/newroot is not a mount point: mount the new root there first");
    }

    @Test
    void refusesAMissingInit() throws Exception {
        Run run = sandbox("tmpfs", "tmpfs", Map.of(), "/newroot", "/sbin/no-such-init");
        run.assertRefusedWithNothingChanged("/sbin/no-such-init does not exist in the new root /newroot");
    }

    @Test
    void refusesAnInitThatIsNotExecutable() throws Exception {
        Run run = sandbox("tmpfs", "tmpfs", Map.of(), "/newroot", "/sbin/not-executable");
        run.assertRefusedWithNothingChanged("/sbin/not-executable in the new root /newroot is not executable (mode 0644)");
    }

    @Test
    void refusesAnInitTheKernelCouldNotRunInTheNewRoot() throws Exception {
        Run run = sandbox("tmpfs", "tmpfs", Map.of(), "/newroot", "/sbin/python-init");
        run.assertRefusedWithNothingChanged("cannot start the interpreter /usr/bin/python3 of /sbin/python-init:"
                + " it does not exist in the new root /newroot");
    }

    @Test
    void resolvesTheInitsSymlinksInsideTheNewRoot() throws Exception {
        // /etc/init-link -> ../sbin/real-init exists only in the new root, never in the old one.
        Run run = sandbox("tmpfs", "tmpfs", Map.of(), "/newroot", "/etc/init-link");
        run.assertInitRanInPlaceOfJava();
    }

    @Test
    void pivotsFromARealFilesystemAndDetachesIt() throws Exception {
        Run run = sandbox("ext4", "tmpfs", Map.of(), "--pivot", "/newroot", "/sbin/init", "x");
        run.assertInitRanInPlaceOfJava();
        run.assertApiMountsMovedOnce();
        assertTrue(run.mountinfo().stream().noneMatch(l -> l.contains(" - ext4 ")),
                "the old ext4 root is detached\n" + run.output);
        assertTrue(run.mountinfo().stream().noneMatch(l -> l.contains(".liftoff-oldroot")), run.output);
        assertTrue(run.has("PEEK /data/deep/deeper/two"), "pivot never deletes\n" + run.output);
        assertCanaryIntact();
    }

    @Test
    void pivotsAndKeepsTheOldRootMountedBelowRunEvenInAReadOnlyNewRoot() throws Exception {
        Run run = sandbox("ext4", "ext4", Map.of("NEWROOT_RO", "1"), "--pivot", "--keep-old", "/run/early", "/newroot", "/sbin/init");
        run.assertInitRanInPlaceOfJava();
        run.assertApiMountsMovedOnce();
        assertEquals(1, run.mountinfo().stream().filter(l -> l.split(" ")[4].equals("/run/early") && l.contains(" - ext4 ")).count(),
                "the old root stays mounted in the moved /run\n" + run.output);
        assertTrue(run.output.contains("switch-root: the old root stays mounted at /run/early"), run.output);
        assertTrue(run.has("PEEK /data/deep/deeper/two"), "pivot never deletes\n" + run.output);
        assertCanaryIntact();
    }

    @Test
    void keepsTheOldRootInADirectoryOfTheNewRoot() throws Exception {
        Run run = sandbox("ext4", "tmpfs", Map.of(), "--pivot", "--keep-old", "/boot", "/newroot", "/sbin/init");
        run.assertInitRanInPlaceOfJava();
        assertEquals(1, run.mountinfo().stream().filter(l -> l.split(" ")[4].equals("/boot") && l.contains(" - ext4 ")).count(),
                run.output);
    }

    @Test
    void refusesToKeepTheOldRootWhereTheNewRootHasNoDirectory() throws Exception {
        Run run = sandbox("ext4", "tmpfs", Map.of(), "--pivot", "--keep-old", "/efi", "/newroot", "/sbin/init");
        run.assertRefusedWithNothingChanged("cannot keep the old root at /efi: /newroot/efi is not a directory in the new root"
                + " (make it there, or use a path under /run)");
    }

    @Test
    void movesTheInitramfsIntoATmpfsSoThatPivotRootWorksAfterwards() throws Exception {
        Run run = sandbox("tmpfs", "tmpfs", Map.of("PIVOT_CHECK", "1"), "--via-tmpfs", "/newroot", "/bin/reexec-init", "again");
        run.assertInitRanInPlaceOfJava();
        assertTrue(run.has("INIT marker=1"), run.output);
        assertTrue(run.has("INIT rootfs=tmpfs"), run.output);
        assertTrue(run.has("INIT pivot_root=ok"), run.output);
        assertTrue(run.has("INIT run=run-state"), run.output);
        // Everything moved out of the old tmpfs: only the directory the new tmpfs was mounted on stays.
        assertEquals(List.of("PEEK /newroot"), run.lines("PEEK "), run.output);
        assertCanaryIntact();
    }

    @Test
    void viaTmpfsRefusesToRunTwice() throws Exception {
        Run run = sandbox("tmpfs", "tmpfs", Map.of("LIFTOFF_TMPFS_ROOT", "1"), "--via-tmpfs", "/newroot", "/bin/reexec-init");
        run.assertRefusedWithNothingChanged("LIFTOFF_TMPFS_ROOT is set: this system already runs from a tmpfs");
    }

    @Test
    void viaTmpfsRefusesARootOnARealFilesystem() throws Exception {
        Run run = sandbox("ext4", "tmpfs", Map.of(), "--via-tmpfs", "/newroot", "/bin/reexec-init");
        run.assertRefusedWithNothingChanged("the current root is ext2/3/4, not an initramfs (ramfs/tmpfs)");
    }

    private void assertCanaryIntact() throws IOException {
        assertEquals("keep\n", Files.readString(work.resolve("canary-src/keep.txt")));
        assertEquals("keep\n", Files.readString(work.resolve("canary-src/sub/nested.txt")));
    }

    private Run sandbox(String oldFs, String newFs, Map<String, String> env, String... switchRootArgs) throws Exception {
        Path script = work.resolve("switch-root.sh");
        try (var in = getClass().getResourceAsStream("/sandbox/switch-root.sh")) {
            Files.copy(in, script);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cp = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(":")) cp.add("/host" + Path.of(entry).toAbsolutePath());
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--pid", "--fork",
                "bash", script.toString(), work.toString(), oldFs, newFs, java, String.join(":", cp), "--"));
        command.addAll(List.of(switchRootArgs));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "sandbox timed out\n" + output);
        assertEquals(0, p.exitValue(), "the sandbox script itself failed\n" + output);
        return new Run(output);
    }

    /** The sandbox's report. */
    private record Run(String output) {
        boolean has(String line) {
            return output.lines().anyMatch(line::equals);
        }

        List<String> lines(String prefix) {
            return output.lines().filter(l -> l.startsWith(prefix)).toList();
        }

        List<String> mountinfo() {
            return lines("MOUNTINFO ").stream().map(l -> l.substring("MOUNTINFO ".length())).toList();
        }

        String prePid() {
            return lines("PRE pid=").getFirst().substring("PRE pid=".length());
        }

        void assertInitRanInPlaceOfJava() {
            assertTrue(output.lines().anyMatch(l -> l.startsWith("INIT pid=" + prePid() + " ")),
                    "INIT must run in the same process (same PID) as switch-root\n" + output);
            assertTrue(has("EXIT 0"), output);
        }

        /** /dev /proc /sys /run each appear once in the new root, and /proc is one proc, not two. */
        void assertApiMountsMovedOnce() {
            for (String point : List.of("/dev", "/proc", "/sys", "/run")) {
                long n = mountinfo().stream().filter(l -> l.split(" ")[4].equals(point)).count();
                assertEquals(1, n, point + " mounted once in the new root\n" + output);
            }
            assertEquals(1, mountinfo().stream().filter(l -> l.contains(" - proc ")).count(), output);
            assertEquals(1, mountinfo().stream().filter(l -> l.contains(" - sysfs ")).count(), output);
        }

        void assertRefusedWithNothingChanged(String message) {
            assertTrue(output.contains("switch-root: " + message), "expected the message: " + message + "\n" + output);
            assertTrue(has("switch-root: nothing was changed"), output);
            assertTrue(has("EXIT 1"), output);
            assertFalse(output.lines().anyMatch(l -> l.startsWith("INIT ")), output);
            assertTrue(has("PEEK /data/deep/deeper/two"), output);
            for (String point : List.of("/proc proc", "/sys sysfs", "/dev devtmpfs", "/run tmpfs", "/canary ext4")) {
                assertTrue(has("MOUNTED " + point), "still mounted: " + point + "\n" + output);
            }
        }
    }
}
