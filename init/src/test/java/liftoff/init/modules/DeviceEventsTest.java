package liftoff.init.modules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import liftoff.init.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Coldplug from a sysfs-shaped tree into the loader, and without any sysfs at all. */
class DeviceEventsTest {
    @TempDir
    Path work;

    @Test
    void coldplugCountsDevicesAndStartsEachDriverOnce() throws IOException {
        Path sys = work.resolve("sys");
        for (String device : List.of("0000:00:01.0", "0000:00:02.0", "0000:00:03.0")) {
            String vendor = device.equals("0000:00:01.0") ? "1111" : "2222";
            Path dir = Files.createDirectories(sys.resolve("bus/pci/devices/" + device));
            Files.writeString(dir.resolve("modalias"), "pci:v0000" + vendor + "d00000001sv00000000sd00000000bc01sc00i00\n");
        }
        ModuleLoader loader = loader("alias pci:v00001111d*sv*sd*bc*sc*i* alone\nalias pci:v00002222d*sv*sd*bc*sc*i* pair\n");
        String console = consoleOf(() -> {
            try (DeviceEvents events = DeviceEvents.listen(loader, new Log())) {
                events.coldplug(sys);
                loader.drivers().awaitLoads();
            }
        });
        assertTrue(console.matches("(?s).*liftoff: coldplug: 3 devices in \\d+ ms, loading alone pair\n.*"), console);
    }

    @Test
    void withoutSysfsColdplugSaysSoAndTheBootGoesOn() throws IOException {
        ModuleLoader loader = loader("");
        String console = consoleOf(() -> {
            try (DeviceEvents events = DeviceEvents.listen(loader, new Log())) {
                events.coldplug(work.resolve("no-sysfs-here"));
            }
        });
        assertTrue(console.contains("liftoff: coldplug: no device list (openat("), console);
    }

    private ModuleLoader loader(String aliases) throws IOException {
        Path dir = Files.createDirectories(work.resolve("modules/9.9.9-test/kernel"));
        for (String name : List.of("alone", "pair")) Files.writeString(dir.resolve(name + ".ko"), "not an ELF file");
        Files.writeString(work.resolve("modules/9.9.9-test/modules.dep"), "kernel/alone.ko:\nkernel/pair.ko:\n");
        Files.writeString(work.resolve("modules/9.9.9-test/modules.alias"), aliases);
        return ModuleLoader.open(work.resolve("modules"), work.resolve("sys/class/block"), 1, "9.9.9-test", List.of(), Map.of(), new Log());
    }

    /** What the log printed (to the console: there is no /dev/kmsg open) while {@code action} ran. */
    static String consoleOf(Runnable action) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
