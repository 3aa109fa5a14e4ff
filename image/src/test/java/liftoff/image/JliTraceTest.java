package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JliTraceTest {
    @Test
    void theTraceIsTheJdksDefaultListFollowedByTheInits() throws IOException {
        String trace = JliTrace.forJdk(ElfTest.JDK).orElseThrow();
        String init = JliTrace.initTrace();
        assertTrue(trace.endsWith("\n" + init), "the init's forms come after the JDK's");
        assertTrue(trace.startsWith("[LF_RESOLVE]") || trace.startsWith("[SPECIES_RESOLVE]"), trace.lines().findFirst().orElse(""));
        for (String line : init.lines().filter(l -> !l.startsWith("#")).toList()) {
            String[] parts = line.split(" ");
            assertEquals(4, parts.length, line);
            assertEquals("[LF_RESOLVE]", parts[0], line);
            assertTrue(parts[1].startsWith("java.lang.invoke.") && parts[1].endsWith("$Holder"), line);
        }
    }

    @Test
    void aJdkWithoutItsDefaultListGetsNoTraceSoJlinkKeepsItsOwn(@TempDir Path notAJdk) throws IOException {
        assertEquals(Optional.empty(), JliTrace.forJdk(notAJdk));
    }

    /**
     * The guard for init-jli-trace.txt: the init's training run (the boot's code paths) in a chroot of
     * an image with the real init, tracing every form it resolves. A form the holders lack shows as
     * "(fail)": it would be spun at every boot.
     */
    @Test
    void theInitsTrainingFindsEveryFormItNeedsInTheHolders(@TempDir Path dir) throws Exception {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "chroot needs root");
        Path jar = dir.resolve("init.jar");
        try (OutputStream out = Files.newOutputStream(jar)) {
            InitJar.write(out, ImageLayoutTest.EPOCH);
        }
        BuildConfig config = BuildConfig.defaults().with("JDK", ElfTest.JDK.toString())
                .with("KERNEL_VERSION", InstalledKernel.VERSION);
        Path root = dir.resolve("root");
        new ImageLayout(JavaRuntimeTest.CACHE, ImageLayoutTest.EPOCH).plan(config, jar, dir.resolve("staging")).materialize(root);

        List<String> command = new ArrayList<>(List.of(JavaRuntime.IMAGE_DIR + "/bin/java",
                "-Dliftoff.train=true", "-Djava.lang.invoke.MethodHandle.TRACE_RESOLVE=true"));
        command.addAll(JavaRuntime.withoutAotCache(Files.readAllLines(root.resolve("jvm.args"))));
        command.add(ImageLayout.INIT_PATH);
        String output = ImageLayoutTest.chroot(root, command.toArray(String[]::new));   // fails on a non-zero exit
        assertTrue(output.contains("[LF_RESOLVE]"), "the trace is on");
        List<String> spun = output.lines().filter(l -> l.startsWith("[LF_RESOLVE]") && l.endsWith(" (fail)"))
                .map(l -> l.substring(0, l.length() - " (fail)".length())).distinct().sorted().toList();
        assertEquals(List.of(), spun, "forms the init spins at boot: add these lines to " + JliTrace.INIT_TRACE);
    }
}
