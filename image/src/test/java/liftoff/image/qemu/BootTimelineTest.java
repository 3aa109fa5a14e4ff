package liftoff.image.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser against consoles that real boots printed (CR LF line ends as the serial line sends them). */
class BootTimelineTest {

    private static String log(String name) throws IOException {
        try (InputStream in = BootTimelineTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aCompleteBootHasEveryStepWithItsKernelTimestampAndDetail() throws IOException {
        BootTimeline timeline = BootTimeline.parse(log("boot-ok.log"));

        assertTrue(timeline.reachedRealInit());
        List<BootTimeline.Step> expected = List.of(
                new BootTimeline.Step(BootMarker.KERNEL_START, 0, "6.1.0-56-cloud-amd64"),
                new BootTimeline.Step(BootMarker.RUN_INIT, 1_597_759, "/init"),
                new BootTimeline.Step(BootMarker.MODULES_LOADED, 1_758_783, ""),
                new BootTimeline.Step(BootMarker.ROOT_FOUND, 1_758_914, "/dev/vda"),
                new BootTimeline.Step(BootMarker.ROOT_MOUNTED, 1_761_038, "/dev/vda on /newroot (ext4, ro)"),
                new BootTimeline.Step(BootMarker.EXEC_INIT, 1_761_111, "/sbin/init"),
                new BootTimeline.Step(BootMarker.REAL_INIT, 1_772_440, "uptime=1.78 pid=1 root=/dev/vda"));
        assertEquals(expected, timeline.steps());
    }

    @Test
    void theStepsBeforeKmsgComeFromTheStartedLineAsSecondsBeforeIt() {
        String console = """
                [    0.000000] Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org)\r
                [    1.620000] Run /init as init process\r
                [    1.731000] liftoff: started (JVM main -0.081234 s, API filesystems -0.002100 s, AOT cache used)\r
                """;
        BootTimeline timeline = BootTimeline.parse(console);

        assertEquals(1_731_000 - 81_234, timeline.step(BootMarker.JVM_MAIN).orElseThrow().micros());
        assertEquals(1_731_000 - 2_100, timeline.step(BootMarker.API_MOUNTED).orElseThrow().micros());
        assertEquals("(JVM main -0.081234 s, API filesystems -0.002100 s, AOT cache used)",
                timeline.step(BootMarker.INIT_STARTED).orElseThrow().detail());
        assertEquals(List.of(BootMarker.KERNEL_START, BootMarker.RUN_INIT, BootMarker.JVM_MAIN, BootMarker.API_MOUNTED,
                BootMarker.INIT_STARTED), timeline.steps().stream().map(BootTimeline.Step::marker).toList());
    }

    @Test
    void aStartedLineWithoutTimesDerivesNothing() {
        BootTimeline timeline = BootTimeline.parse("[    1.731000] liftoff: started\n");

        assertTrue(timeline.step(BootMarker.INIT_STARTED).isPresent());
        assertFalse(timeline.step(BootMarker.JVM_MAIN).isPresent());
    }

    @Test
    void theTableAlignsTimesAndDeltas() throws IOException {
        String table = BootTimeline.parse(log("boot-ok.log")).table();

        assertEquals("""
                step                 time s    delta s  detail
                kernel start       0.000000             6.1.0-56-cloud-amd64
                Run /init          1.597759  +1.597759  /init
                JVM main                  -          -
                API filesystems           -          -
                init started              -          -
                modules loaded     1.758783  +0.161024
                root device found  1.758914  +0.000131  /dev/vda
                root mounted       1.761038  +0.002124  /dev/vda on /newroot (ext4, ro)
                exec init          1.761111  +0.000073  /sbin/init
                real init          1.772440  +0.011329  uptime=1.78 pid=1 root=/dev/vda
                """, table);
    }

    @Test
    void aBootThatPanickedInTheInitramfsShowsTheMissingStepsAsDashes() throws IOException {
        BootTimeline timeline = BootTimeline.parse(log("boot-panic.log"));

        assertFalse(timeline.reachedRealInit());
        assertEquals(List.of(BootMarker.KERNEL_START, BootMarker.RUN_INIT),
                timeline.steps().stream().map(BootTimeline.Step::marker).toList());
        assertTrue(timeline.table().contains("\nmodules loaded            -          -\n"), timeline.table());
        assertTrue(timeline.table().endsWith("\nreal init                 -          -\n"), timeline.table());
    }

    @Test
    void withoutItsKmsgCopyTheRealInitIsTimedByItsOwnUptime() {
        String console = """
                [    0.000000] Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org)
                [    1.597759] Run /init as init process
                REAL-ROOT uptime=1.78 pid=1 root=/dev/vda
                """;

        BootTimeline.Step realInit = BootTimeline.parse(console).step(BootMarker.REAL_INIT).orElseThrow();

        assertEquals(new BootTimeline.Step(BootMarker.REAL_INIT, 1_780_000, "uptime=1.78 pid=1 root=/dev/vda"), realInit);
    }

    @Test
    void aKernelLineBehindUnfinishedOutputStillCountsAndOnlyTheFirstOccurrenceDoes() {
        String console = """
                [    0.000000] Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org)
                Enter passphrase: [    1.900000] liftoff: root device found /dev/vda2
                [    2.000000] liftoff: root device found /dev/vdb
                """;

        BootTimeline timeline = BootTimeline.parse(console);

        assertEquals(new BootTimeline.Step(BootMarker.ROOT_FOUND, 1_900_000, "/dev/vda2"),
                timeline.step(BootMarker.ROOT_FOUND).orElseThrow());
    }

    @Test
    void markersMatchOnTheirLeadingWordsNotOnLookalikes() {
        String console = """
                [    1.000000] liftoff: modules loaded 7 in 12 ms
                [    1.100000] liftoff: executable /bin/x not found
                [    1.200000] xliftoff: exec /sbin/init
                """;

        BootTimeline timeline = BootTimeline.parse(console);

        assertEquals("7 in 12 ms", timeline.step(BootMarker.MODULES_LOADED).orElseThrow().detail());
        assertTrue(timeline.step(BootMarker.EXEC_INIT).isEmpty(), timeline.table());
    }
}
