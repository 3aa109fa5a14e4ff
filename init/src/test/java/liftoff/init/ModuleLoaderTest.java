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
}
