package liftoff.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader against the real finit_module: module files that are not ELF, which the kernel
 * refuses (or, without CAP_SYS_MODULE, refuses to look at): either way a failure the loader reports.
 */
class ModuleLoaderTest {
    @TempDir
    Path modulesRoot;

    @Test
    void aLoadAfterThePauseForTheHandOverIsLeftAloneAndOneAfterResumeIsTried() throws IOException {
        Path dir = Files.createDirectories(modulesRoot.resolve("9.9.9-test/kernel"));
        Files.writeString(dir.resolve("left.ko"), "not an ELF file");
        Files.writeString(dir.resolve("tried.ko"), "not an ELF file");
        Files.writeString(modulesRoot.resolve("9.9.9-test/modules.dep"), "kernel/left.ko:\nkernel/tried.ko:\n");
        ModuleLoader loader = ModuleLoader.open(modulesRoot, "9.9.9-test", List.of(), Map.of(), new Log());

        loader.pauseForHandover();
        assertEquals(List.of(), loader.loadByName("left"));
        assertEquals(new ModuleLoader.Result(0, 0, List.of()), loader.result(), "nothing was opened, nothing failed");

        loader.resume();
        assertEquals(List.of(), loader.loadByName("tried"));
        ModuleLoader.Result result = loader.result();
        assertEquals(1, result.failures().size(), result.toString());
        assertTrue(result.failures().getFirst().startsWith("tried: E"), result.toString());
    }

    @Test
    void onlyADriverThatOneDeviceAsksForAtColdplugProbesAsynchronously() throws IOException {
        Path dir = Files.createDirectories(modulesRoot.resolve("9.9.9-test/kernel"));
        for (String name : List.of("alone", "pair", "event")) Files.writeString(dir.resolve(name + ".ko"), "not an ELF file");
        Files.writeString(modulesRoot.resolve("9.9.9-test/modules.dep"), "kernel/alone.ko:\nkernel/pair.ko:\nkernel/event.ko:\n");
        Files.writeString(modulesRoot.resolve("9.9.9-test/modules.alias"), """
                alias pci:v00001111d*sv*sd*bc*sc*i* alone
                alias pci:v00002222d*sv*sd*bc*sc*i* pair
                alias virtio:d00000002v* event
                """);
        ModuleLoader loader = ModuleLoader.open(modulesRoot, "9.9.9-test", List.of(), Map.of("pair", "queue_depth=4"), new Log());
        String pairDevice = "pci:v00002222d00000001sv00000000sd00000000bc01sc00i00";
        String console = DeviceEventsTest.consoleOf(() -> {
            loader.startForDevices(List.of("pci:v00001111d00000001sv00000000sd00000000bc01sc00i00", pairDevice, pairDevice), (d, ms) -> {});
            loader.startForModalias("virtio:d00000002v00001AF4", (d, ms) -> {});
            loader.awaitLoads();
        });
        // The kernel refuses the files; its refusal shows the parameters each load passed.
        assertTrue(console.contains("module alone did not load: finit_module(") && console.contains(", \"async_probe=1\", 0)"), console);
        assertTrue(console.contains(", \"queue_depth=4\", 0)"), "two devices: synchronous, the command line's parameters only\n" + console);
        assertTrue(console.lines().filter(l -> l.contains("module event did not load")).allMatch(l -> l.contains(", \"\", 0)")), console);
        assertEquals(3, loader.result().failures().size(), console);
    }
}
