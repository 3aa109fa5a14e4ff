package liftoff.init.cmdline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import liftoff.init.root.RootSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CmdlineTest {

    @Test
    void defaultsWhenEmpty() {
        Cmdline c = Cmdline.parse("");
        assertNull(c.root());
        assertNull(c.rootFsType());
        assertNull(c.rootFlags());
        assertTrue(c.readOnly());
        assertFalse(c.rootWait());
        assertEquals(0, c.rootDelaySeconds());
        assertEquals(List.of("/sbin/init", "/etc/init", "/bin/init", "/bin/sh"), c.initCandidates());
        assertFalse(c.quiet());
        assertFalse(c.debug());
        assertEquals(Cmdline.Break.NONE, c.breakpoint());
        assertEquals(30, c.timeoutSeconds());
        assertEquals(List.of(), c.modules());
        assertEquals(List.of(), c.blacklist());
        assertEquals(List.of(), c.initArguments());
        assertEquals(List.of(), c.problems());
    }

    @Test
    void typicalDistributionCommandLine() {
        Cmdline c = Cmdline.parse("BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=UUID=0B7C2E1A-7C44-4F4E-9D3E-1F2A3B4C5D6E"
                + " ro quiet rootfstype=ext4 rootflags=data=ordered,noatime console=ttyS0,115200n8\n");
        assertEquals(new RootSpec(RootSpec.Kind.UUID, "0b7c2e1a-7c44-4f4e-9d3e-1f2a3b4c5d6e", 0), c.root());
        assertTrue(c.readOnly());
        assertTrue(c.quiet());
        assertEquals("ext4", c.rootFsType());
        assertEquals("data=ordered,noatime", c.rootFlags());
        assertEquals("ttyS0,115200n8", c.value("console"));
        assertEquals("/vmlinuz-6.1.0-13-amd64", c.value("BOOT_IMAGE"));
        assertEquals(List.of(), c.problems());
    }

    @Test
    void quotesGroupSpacesAndAreRemoved() {
        Cmdline c = Cmdline.parse("root=\"LABEL=my root\" init=\"/sbin/my init\" \"liftoff.modules=a,b\"");
        assertEquals(new RootSpec(RootSpec.Kind.LABEL, "my root", 0), c.root());
        assertEquals(List.of("/sbin/my init"), c.initCandidates());
        assertEquals(List.of("a", "b"), c.modules());
    }

    /** lib/cmdline.c keeps a quote that neither opens the word nor the value. */
    @Test
    void quoteInsideAValueIsKept() {
        Cmdline c = Cmdline.parse("opt=a\"b c\"d next");
        assertEquals("a\"b c\"d", c.value("opt"));
        assertEquals("", c.value("next"));
    }

    @Test
    void firstEqualsSplitsKeyFromValue() {
        Cmdline c = Cmdline.parse("root=PARTLABEL=a=b rootflags=subvol=@root");
        assertEquals(new RootSpec(RootSpec.Kind.PARTLABEL, "a=b", 0), c.root());
        assertEquals("subvol=@root", c.rootFlags());
    }

    @Test
    void wordsAfterDoubleDashGoToTheRealInit() {
        Cmdline c = Cmdline.parse("root=/dev/vda quiet -- single \"a b\" x=\"1 2\" -- rw");
        assertEquals(List.of("single", "a b", "x=1 2", "--", "rw"), c.initArguments());
        assertTrue(c.readOnly(), "rw after -- is for init, not for us");
        assertEquals(new RootSpec(RootSpec.Kind.PATH, "/dev/vda", 0), c.root());
    }

    @Test
    void whitespaceOfAnyKindSeparates() {
        Cmdline c = Cmdline.parse("  quiet\t\trootwait \n liftoff.debug\n");
        assertTrue(c.quiet());
        assertTrue(c.rootWait());
        assertTrue(c.debug());
    }

    @Test
    void lastOfRoAndRwWins() {
        assertFalse(Cmdline.parse("ro rw").readOnly());
        assertTrue(Cmdline.parse("rw ro").readOnly());
        assertFalse(Cmdline.parse("rw").readOnly());
    }

    @Test
    void lastRootWins() {
        Cmdline c = Cmdline.parse("root=/dev/sda1 root=PARTUUID=abc");
        assertEquals(new RootSpec(RootSpec.Kind.PARTUUID, "abc", 0), c.root());
    }

    @Test
    void rootWaitWithAndWithoutLimit() {
        assertEquals(OptionalInt.empty(), Cmdline.parse("rootwait").rootWaitSeconds());
        Cmdline limited = Cmdline.parse("rootwait=15");
        assertTrue(limited.rootWait());
        assertEquals(OptionalInt.of(15), limited.rootWaitSeconds());
    }

    @Test
    void delaysAndTimeouts() {
        Cmdline c = Cmdline.parse("rootdelay=5 liftoff.timeout=90");
        assertEquals(5, c.rootDelaySeconds());
        assertEquals(90, c.timeoutSeconds());
    }

    @Test
    void explicitInitHasNoFallbacks() {
        assertEquals(List.of("/usr/lib/systemd/systemd"), Cmdline.parse("init=/usr/lib/systemd/systemd").initCandidates());
    }

    @Test
    void breakpoints() {
        assertEquals(Cmdline.Break.PREMOUNT, Cmdline.parse("liftoff.break=premount").breakpoint());
        assertEquals(Cmdline.Break.PRESWITCH, Cmdline.parse("liftoff.break=preswitch").breakpoint());
        assertEquals(Cmdline.Break.PRESWITCH, Cmdline.parse("liftoff.break").breakpoint());
    }

    @Test
    void moduleListsAddUpAndUseUnderscores() {
        Cmdline c = Cmdline.parse("liftoff.modules=virtio-blk,,ext4 liftoff.modules=nvme"
                + " modprobe.blacklist=nouveau,pcspkr modprobe.blacklist=floppy liftoff.modules=");
        assertEquals(List.of("virtio_blk", "ext4", "nvme"), c.modules());
        assertEquals(List.of("nouveau", "pcspkr", "floppy"), c.blacklist());
        assertEquals(List.of(), c.problems());
    }

    @Test
    void unknownOptionsAreIgnoredQuietly() {
        Cmdline c = Cmdline.parse("splash nomodeset i915.modeset=0 systemd.unit=rescue.target liftoff.unknown=1");
        assertEquals(List.of(), c.problems());
        assertEquals("0", c.value("i915.modeset"));
        assertNull(c.value("absent"));
    }

    @Test
    void malformedOptionsBecomeProblemsAndKeepDefaults() {
        Cmdline c = Cmdline.parse("rootdelay=abc liftoff.break=sometimes root=UUID= liftoff.timeout=-3"
                + " rootwait=soon rootfstype= init=");
        assertEquals(0, c.rootDelaySeconds());
        assertEquals(Cmdline.Break.NONE, c.breakpoint());
        assertNull(c.root());
        assertEquals(30, c.timeoutSeconds());
        assertTrue(c.rootWait());
        assertEquals(OptionalInt.empty(), c.rootWaitSeconds());
        assertNull(c.rootFsType());
        assertEquals(4, c.initCandidates().size());
        assertEquals(List.of(
                "rootdelay=abc is not a number of seconds; using 0",
                "liftoff.break=sometimes is not premount or preswitch; not breaking",
                "root=UUID= names no UUID; no root device",
                "liftoff.timeout=-3 is not a number of seconds; using 30",
                "rootwait=soon is not a number of seconds; using no limit",
                "rootfstype= needs a value; ignored",
                "init= needs a value; ignored"), c.problems());
    }

    @Test
    void aMalformedRootKeepsTheEarlierOne() {
        Cmdline c = Cmdline.parse("root=/dev/vda1 root=sda1");
        assertEquals(new RootSpec(RootSpec.Kind.PATH, "/dev/vda1", 0), c.root());
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().getFirst().startsWith("root=sda1 is not a device"), c.problems().getFirst());
        assertTrue(c.problems().getFirst().endsWith("; keeping root=/dev/vda1"), c.problems().getFirst());
    }

    @Test
    void readsProcCmdlineAndSurvivesItsAbsence(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cmdline");
        Files.writeString(file, "root=LABEL=root rw\n");
        assertEquals(new RootSpec(RootSpec.Kind.LABEL, "root", 0), Cmdline.read(file).root());

        Cmdline missing = Cmdline.read(dir.resolve("absent"));
        assertNull(missing.root());
        assertEquals(1, missing.problems().size());
        assertEquals("cannot read " + dir.resolve("absent") + " (NoSuchFileException); using defaults",
                missing.problems().getFirst());
    }
}
