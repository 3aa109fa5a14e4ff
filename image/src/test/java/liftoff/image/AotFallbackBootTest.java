package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import liftoff.image.TestImages.Image;
import liftoff.image.qemu.BootMarker;
import liftoff.image.qemu.BootTimeline;
import liftoff.image.qemu.DemoRoot;
import liftoff.image.qemu.QemuExit;
import liftoff.image.qemu.TestBoot;
import liftoff.cpio.ArchivePlan;
import liftoff.cpio.CpioWriter;
import liftoff.cpio.Format;
import liftoff.cpio.Spec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache trained on the build host, booted on other CPUs, and a cache the JVM rejects: the
 * boot must reach the real init every time, and the init must say whether the cache was used and,
 * when not, why (the JVM itself would start without it silently).
 */
@Tag("qemu")
class AotFallbackBootTest {
    @TempDir
    static Path work;
    static Image image;
    static Path rejected;
    static Path disk;

    @BeforeAll
    static void buildImagesAndDisk() throws Exception {
        image = TestImages.build();
        assertTrue(image.aotCache());
        rejected = withDamagedCache(image.file(), work.resolve("rejected.img"));
        disk = DemoRoot.standard().writeTo(work.resolve("root.img"));
    }

    /**
     * The image plus a second cpio segment that replaces /app.aot with a file whose header is zeros
     * (the kernel unpacks segments in order, a later file replaces an earlier one).
     */
    private static Path withDamagedCache(Path image, Path output) throws Exception {
        Path damaged = Files.write(work.resolve("damaged.aot"), new byte[64 * 1024]);
        Path spec = Files.writeString(work.resolve("damaged.spec"), "file /app.aot " + damaged + " 0644 0 0\n");
        Files.copy(image, output);
        ArchivePlan plan = new ArchivePlan().owner(0, 0).clampMtime(0);
        Spec.addSpec(plan, spec, 0);
        try (OutputStream out = Files.newOutputStream(output, StandardOpenOption.APPEND);
                CpioWriter writer = new CpioWriter(out, Format.NEWC)) {
            plan.writeTo(writer);
        }
        return output;
    }

    private static QemuExit boot(Path initrd, String cpu) throws Exception {
        QemuExit exit = TestBoot.qemu(image.kernel(), initrd, "root=/dev/vda").disk(disk).cpu(cpu).icount(true).run();
        assertTrue(exit.timeline().reachedRealInit(), exit.console());
        return exit;
    }

    private static void assertCacheUsed(QemuExit exit) {
        BootTimeline timeline = exit.timeline();
        String started = timeline.step(BootMarker.INIT_STARTED).orElseThrow().detail();
        assertTrue(started.endsWith("AOT cache used)"), started);
        assertTrue(!exit.console().contains("AOT cache not used"), exit.console());
        long runInit = timeline.step(BootMarker.RUN_INIT).orElseThrow().micros();
        long main = timeline.step(BootMarker.JVM_MAIN).orElseThrow().micros();
        long mounted = timeline.step(BootMarker.API_MOUNTED).orElseThrow().micros();
        assertTrue(runInit < main && main < mounted, timeline.table());
    }

    @Test
    void aCacheTrainedOnTheBuildHostIsUsedOnABaselineCpu() throws Exception {
        assertCacheUsed(boot(image.file(), "qemu64"));
    }

    @Test
    void aCacheTrainedOnTheBuildHostIsUsedOnTheNewestCpu() throws Exception {
        assertCacheUsed(boot(image.file(), "max"));
    }

    @Test
    void aRejectedCacheIsLoggedWithTheJvmsReasonAndTheBootGoesOn() throws Exception {
        QemuExit exit = boot(rejected, "max");
        String started = exit.timeline().step(BootMarker.INIT_STARTED).orElseThrow().detail();
        assertTrue(started.endsWith("AOT cache not used)"), started);
        String reason = exit.console().lines().filter(l -> l.contains("liftoff: AOT cache not used: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no reason logged\n" + exit.console()));
        assertTrue(reason.contains("The AOT cache has a bad magic number: 0"), reason);
        assertEquals(0, exit.console().lines().filter(l -> l.contains("[error") && l.contains("[aot")).count(),
                "the JVM's own messages go to its log file, not the console\n" + exit.console());
    }
}
