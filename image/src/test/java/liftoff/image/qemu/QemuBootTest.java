package liftoff.image.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real boots under TCG (5-10 s of wall time each): the harness end to end. */
@Tag("qemu")
class QemuBootTest {
    private static final Duration BOOT = Duration.ofMinutes(3);

    @TempDir
    static Path work;
    static Path initramfs;

    @BeforeAll
    static void buildImage() throws Exception {
        initramfs = TestInitramfs.build(Kernel.newestInstalled(), TestInitramfs.VIRTIO_BLK_MODULES, work);
    }

    @Test
    void busyboxInitramfsSwitchesToTheDemoRootWhoseInitRunsAsPid1() throws Exception {
        Path disk = DemoRoot.standard().writeTo(work.resolve("root.img"));
        List<String> lines = new CopyOnWriteArrayList<>();

        QemuExit exit = TestBoot.qemu(initramfs, "root=/dev/vda init=/sbin/init -- a b").timeout(BOOT)
                .disk(disk).icount(true)
                .onConsoleLine(lines::add)
                .run();

        assertFalse(exit.timedOut(), exit.console());
        BootTimeline timeline = exit.timeline();
        assertTrue(timeline.reachedRealInit(), exit.console());
        // This init is a busybox script: it has no JVM, so no JVM-main and API-filesystem timings.
        for (BootMarker marker : EnumSet.complementOf(EnumSet.of(BootMarker.JVM_MAIN, BootMarker.API_MOUNTED))) {
            assertTrue(timeline.step(marker).isPresent(), () -> marker + " missing:\n" + timeline.table());
        }
        assertEquals("/init", timeline.step(BootMarker.RUN_INIT).orElseThrow().detail());
        assertEquals("/dev/vda on /newroot (ext4, ro)", timeline.step(BootMarker.ROOT_MOUNTED).orElseThrow().detail());
        String realInit = timeline.step(BootMarker.REAL_INIT).orElseThrow().detail();
        assertTrue(realInit.matches("uptime=\\d+\\.\\d+ pid=1 root=/dev/vda"), realInit);
        assertTrue(lines.contains("REAL-ROOT args=a b"), exit.console());
        assertEquals(exit.console().lines().toList(), lines, "the listener saw every console line");
        long previous = -1;
        for (BootTimeline.Step step : timeline.steps()) {
            assertTrue(step.micros() >= previous, "steps out of order:\n" + timeline.table());
            previous = step.micros();
        }
    }

    @Test
    void aGptDemoRootOnNvmeBootsOnQ35WithABaselineCpu() throws Exception {
        Path disk = work.resolve("gpt.img");
        DemoRoot root = DemoRoot.standard().withGpt("liftoff-root");
        root.writeTo(disk);
        String device = root.guestDevice(DiskBus.NVME);

        QemuExit exit = TestBoot.qemu(initramfs, "root=" + device).timeout(BOOT)
                .disk(disk, DiskBus.NVME)
                .machine(Qemu.Machine.Q35).cpu("qemu64")
                .run();

        BootTimeline timeline = exit.timeline();
        assertTrue(timeline.reachedRealInit(), exit.console());
        assertEquals("/dev/nvme0n1p1", timeline.step(BootMarker.ROOT_FOUND).orElseThrow().detail());
        assertTrue(exit.console().contains("REAL-ROOT args=\n"), "no arguments were passed:\n" + exit.console());
    }

    @Test
    void typedCommandsReachTheGuestShell() throws Exception {
        try (QemuProcess vm = TestBoot.qemu(initramfs, "rdinit=/bin/sh").timeout(BOOT).start()) {
            Console console = vm.console();
            console.await("Run /bin/sh as init process", Duration.ofMinutes(2));
            // The shell computes 42; the terminal's echo of the typed line only contains the formula.
            console.type("echo typed-$((6 * 7))\n");
            console.await("typed-42", Duration.ofMinutes(1));
            console.type("busybox poweroff -f\n");
            QemuExit exit = vm.waitFor();
            assertFalse(exit.timedOut(), exit.console());
            assertEquals(0, exit.status(), exit.errors());
        }
    }

    @Test
    void theHostTimeoutKillsAGuestThatNeverFinishes() throws Exception {
        // A shell as PID 1 waits for input forever.
        QemuExit exit = TestBoot.qemu(initramfs, "rdinit=/bin/sh").timeout(Duration.ofSeconds(3)).run();
        assertTrue(exit.timedOut());
        assertFalse(exit.timeline().reachedRealInit());
        assertTrue(exit.wall().compareTo(Duration.ofSeconds(30)) < 0, "killed late: " + exit.wall());
    }
}
