package liftoff.init.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import liftoff.init.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader against the real finit_module: module files that are not ELF, which the kernel
 * refuses (or, without CAP_SYS_MODULE, refuses to look at): either way a failure the loader reports.
 */
class ModuleLoaderTest {
    private static final String KERNEL = "9.9.9-test";
    private static final String NOT_ELF = "not an ELF file";

    @TempDir
    Path modulesRoot;

    /** modulesRoot/KERNEL: kernel/NAME.ko with each module's content, and the two indexes. */
    private void kernel(Map<String, String> modules, String dep, String aliases) throws IOException {
        Path dir = Files.createDirectories(modulesRoot.resolve(KERNEL + "/kernel"));
        for (Map.Entry<String, String> module : modules.entrySet()) Files.writeString(dir.resolve(module.getKey() + ".ko"), module.getValue());
        Files.writeString(modulesRoot.resolve(KERNEL + "/modules.dep"), dep);
        Files.writeString(modulesRoot.resolve(KERNEL + "/modules.alias"), aliases);
    }

    /** A /sys/class/block with one disk, vda, that the root wait has not looked at. */
    private Path diskVda() throws IOException {
        Path disks = Files.createDirectories(modulesRoot.resolve("class-block"));
        Files.createFile(disks.resolve("vda"));
        return disks;
    }

    @Test
    void aLoadAfterThePauseForTheHandOverIsLeftAloneAndOneAfterResumeIsTried() throws IOException {
        kernel(Map.of("left", NOT_ELF, "tried", NOT_ELF), "kernel/left.ko:\nkernel/tried.ko:\n", "");
        ModuleLoader loader = ModuleLoader.open(modulesRoot, modulesRoot.resolve("no-disks"), 1, KERNEL, List.of(), Map.of(), new Log());

        loader.drivers().pauseForHandover();
        assertEquals(List.of(), loader.loadByName("left"));
        assertEquals(new ModuleLoader.Result(0, 0, List.of()), loader.result(), "nothing was opened, nothing failed");

        loader.drivers().loadEverything();
        assertEquals(List.of(), loader.loadByName("tried"));
        ModuleLoader.Result result = loader.result();
        assertEquals(1, result.failures().size(), result.toString());
        assertTrue(result.failures().getFirst().startsWith("tried: E"), result.toString());
    }

    @Test
    void driversLoadWithTheCommandLinesParametersOnlyAndProbeSynchronously() throws IOException {
        kernel(Map.of("alone", NOT_ELF, "pair", NOT_ELF, "event", NOT_ELF), "kernel/alone.ko:\nkernel/pair.ko:\nkernel/event.ko:\n", """
                alias pci:v00001111d*sv*sd*bc*sc*i* alone
                alias pci:v00002222d*sv*sd*bc*sc*i* pair
                alias virtio:d00000002v* event
                """);
        ModuleLoader loader = ModuleLoader.open(modulesRoot, modulesRoot.resolve("no-disks"), 1, KERNEL, List.of(),
                Map.of("pair", "queue_depth=4"), new Log());
        String pairDevice = "pci:v00002222d00000001sv00000000sd00000000bc01sc00i00";
        String console = DeviceEventsTest.consoleOf(() -> {
            loader.startForDevices(List.of("pci:v00001111d00000001sv00000000sd00000000bc01sc00i00", pairDevice, pairDevice), (d, ms) -> {});
            loader.startForModalias("virtio:d00000002v00001AF4", (d, ms) -> {});
            loader.drivers().awaitLoads();
        });
        // The kernel refuses the files; its refusal shows the parameters each load passed (no async_probe=1).
        assertTrue(console.contains("module alone did not load: finit_module(") && console.contains(", \"\", 0)"), console);
        assertTrue(console.contains(", \"queue_depth=4\", 0)"), console);
        assertFalse(console.contains("async_probe"), console);
        assertEquals(3, loader.result().failures().size(), console);
    }

    @Test
    void coldplugDriversStartCheapestFirstOneAtATimeOnlyWhileEveryDiskHasBeenLookedAt() throws IOException {
        kernel(Map.of("big", "x".repeat(3000), "shared", "x".repeat(1500), "middle", "x".repeat(1000), "small", "x".repeat(200)),
                "kernel/big.ko:\nkernel/shared.ko:\nkernel/middle.ko: kernel/shared.ko\nkernel/small.ko:\n", """
                alias pci:v00001111d*sv*sd*bc*sc*i* big
                alias pci:v00002222d*sv*sd*bc*sc*i* middle
                alias pci:v00003333d*sv*sd*bc*sc*i* small
                """);
        ModuleLoader loader = ModuleLoader.open(modulesRoot, diskVda(), 1, KERNEL, List.of(), Map.of(), new Log());
        List<String> devices = List.of("pci:v00001111d00000001sv00000000sd00000000bc01sc00i00",
                "pci:v00002222d00000001sv00000000sd00000000bc01sc00i00", "pci:v00003333d00000001sv00000000sd00000000bc01sc00i00");
        AtomicInteger ended = new AtomicInteger();
        loader.drivers().whenALoadEnds(ended::incrementAndGet);
        String console = DeviceEventsTest.consoleOf(() -> {
            // middle needs shared: 2,500 bytes to load, less than big's 3,000.
            assertEquals(List.of("small", "middle", "big"), loader.startForDevices(devices, (d, ms) -> {}));
            assertEquals(List.of("small", "middle", "big"), loader.drivers().queued(), "vda is there and the root wait has not looked at it");
            // Each look of the root wait that finds no root starts the next driver, once the one before has ended.
            for (List<String> left : List.of(List.of("middle", "big"), List.of("big"), List.<String>of())) {
                int before = ended.get();
                loader.drivers().disksExamined();
                assertEquals(left, loader.drivers().queued());
                awaitEnded(ended, before + 1);
            }
        });
        List<String> order = loader.result().failures().stream().map(f -> f.substring(0, f.indexOf(':'))).toList();
        assertEquals(List.of("small", "shared", "middle", "big"), order, console);
    }

    @Test
    void onceTheRootIsFoundQueuedDriversWaitAndAreLeftToTheRealSystemAtTheHandOver() throws IOException {
        kernel(Map.of("ide", NOT_ELF), "kernel/ide.ko:\n", "alias pci:v00001111d*sv*sd*bc*sc*i* ide\n");
        ModuleLoader loader = ModuleLoader.open(modulesRoot, diskVda(), 1, KERNEL, List.of(), Map.of(), new Log());
        String console = DeviceEventsTest.consoleOf(() -> {
            loader.startForDevices(List.of("pci:v00001111d00000001sv00000000sd00000000bc01sc00i00"), (d, ms) -> {});
            loader.drivers().rootFound();
            loader.drivers().disksExamined();   // a verity or LUKS wait after the root: the queue stays
            assertEquals(List.of("ide"), loader.drivers().queued());
            loader.drivers().pauseForHandover();
        });
        assertTrue(console.contains("liftoff: not loaded, no root needs them (the real system's udev loads them): ide"), console);
        assertEquals(new ModuleLoader.Result(0, 0, List.of()), loader.result(), console);

        loader.drivers().loadEverything();   // the switch failed: the rescue shell gets every driver
        loader.drivers().awaitLoads();
        assertEquals(List.of(), loader.drivers().queued());
        assertTrue(loader.result().failures().getFirst().startsWith("ide: E"), loader.result().toString());
    }

    @Test
    void aUeventForADriverStillQueuedStartsItAtOnce() throws IOException {
        kernel(Map.of("ide", NOT_ELF), "kernel/ide.ko:\n", "alias pci:v00001111d*sv*sd*bc*sc*i* ide\n");
        ModuleLoader loader = ModuleLoader.open(modulesRoot, diskVda(), 1, KERNEL, List.of(), Map.of(), new Log());
        String device = "pci:v00001111d00000001sv00000000sd00000000bc01sc00i00";
        String console = DeviceEventsTest.consoleOf(() -> {
            loader.startForDevices(List.of(device), (d, ms) -> {});
            assertEquals(List.of("ide"), loader.drivers().queued(), "vda is there and the root wait has not looked at it");
            assertEquals(List.of("ide"), loader.startForModalias(device, (d, ms) -> {}));
            assertEquals(List.of(), loader.drivers().queued());
            loader.drivers().awaitLoads();
        });
        assertEquals(1, loader.result().failures().size(), console);
        assertTrue(loader.result().failures().getFirst().startsWith("ide: E"), console);
    }

    /** Waits until {@code count} loads have ended (each load's end is what wakes the root wait). */
    private static void awaitEnded(AtomicInteger ended, int count) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ended.get() < count) {
            if (System.nanoTime() > deadline) throw new AssertionError("loads ended: " + ended.get() + ", expected " + count);
            Thread.onSpinWait();
        }
    }
}
