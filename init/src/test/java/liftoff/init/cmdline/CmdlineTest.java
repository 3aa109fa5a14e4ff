package liftoff.init.cmdline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import liftoff.init.root.RootSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The word splitter, the boot-wide options, and the problems of every record found in one pass. */
class CmdlineTest {

    @Test
    void defaultsWhenEmpty() {
        Cmdline c = Cmdline.parse("");
        assertNull(c.root().spec());
        assertTrue(c.root().readOnly());
        assertEquals(new FsckOptions(FsckOptions.Mode.AUTO, FsckOptions.Repair.PREEN), c.fsck());
        assertEquals(new LuksOptions(List.of(), false, null), c.luks());
        assertNull(c.verity());
        assertEquals(new ModuleOptions(List.of(), List.of(), Map.of()), c.modules());
        assertFalse(c.quiet());
        assertFalse(c.debug());
        assertEquals(Cmdline.Break.NONE, c.breakpoint());
        assertEquals(List.of(), c.problems());
    }

    @Test
    void typicalDistributionCommandLine() {
        Cmdline c = Cmdline.parse("BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=UUID=0B7C2E1A-7C44-4F4E-9D3E-1F2A3B4C5D6E"
                + " ro quiet rootfstype=ext4 rootflags=data=ordered,noatime console=ttyS0,115200n8\n");
        assertEquals(new RootSpec(RootSpec.Kind.UUID, "0b7c2e1a-7c44-4f4e-9d3e-1f2a3b4c5d6e", 0), c.root().spec());
        assertTrue(c.root().readOnly());
        assertTrue(c.quiet());
        assertEquals(List.of("ext4"), c.root().fsTypes());
        assertEquals("data=ordered,noatime", c.root().flags());
        assertEquals(Map.of(), c.modules().parameters(), "BOOT_IMAGE= and console= are not module options");
        assertEquals(List.of(), c.problems());
    }

    @Test
    void quotesGroupSpacesAndAreRemoved() {
        Cmdline c = Cmdline.parse("root=\"LABEL=my root\" init=\"/sbin/my init\" \"liftoff.modules=a,b\"");
        assertEquals(new RootSpec(RootSpec.Kind.LABEL, "my root", 0), c.root().spec());
        assertEquals(List.of("/sbin/my init"), c.root().initCandidates());
        assertEquals(List.of("a", "b"), c.modules().extra());
    }

    /** lib/cmdline.c keeps a quote that neither opens the word nor the value. */
    @Test
    void quoteInsideAValueIsKept() {
        Cmdline c = Cmdline.parse("rootflags=a\"b c\"d quiet");
        assertEquals("a\"b c\"d", c.root().flags());
        assertTrue(c.quiet());
    }

    @Test
    void firstEqualsSplitsKeyFromValue() {
        Cmdline c = Cmdline.parse("root=PARTLABEL=a=b rootflags=subvol=@root");
        assertEquals(new RootSpec(RootSpec.Kind.PARTLABEL, "a=b", 0), c.root().spec());
        assertEquals("subvol=@root", c.root().flags());
    }

    @Test
    void wordsAfterDoubleDashGoToTheRealInit() {
        Cmdline c = Cmdline.parse("root=/dev/vda quiet -- single \"a b\" x=\"1 2\" -- rw fsck.mode=bogus");
        assertEquals(List.of("single", "a b", "x=1 2", "--", "rw", "fsck.mode=bogus"), c.root().initArguments());
        assertTrue(c.root().readOnly(), "rw after -- is for init, not for us");
        assertEquals(List.of(), c.problems(), "nor is fsck.mode=bogus");
        assertEquals(new RootSpec(RootSpec.Kind.PATH, "/dev/vda", 0), c.root().spec());
    }

    @Test
    void whitespaceOfAnyKindSeparates() {
        Cmdline c = Cmdline.parse("  quiet\t\trootwait \n liftoff.debug\n");
        assertTrue(c.quiet());
        assertTrue(c.root().rootWait());
        assertTrue(c.debug());
    }

    @Test
    void breakpoints() {
        assertEquals(Cmdline.Break.PREMOUNT, Cmdline.parse("liftoff.break=premount").breakpoint());
        assertEquals(Cmdline.Break.PRESWITCH, Cmdline.parse("liftoff.break=preswitch").breakpoint());
        assertEquals(Cmdline.Break.PRESWITCH, Cmdline.parse("liftoff.break").breakpoint());
        Cmdline bad = Cmdline.parse("liftoff.break=sometimes");
        assertEquals(Cmdline.Break.NONE, bad.breakpoint());
        assertEquals(List.of("liftoff.break=sometimes is not premount or preswitch; not breaking"), bad.problems());
    }

    @Test
    void unknownOptionsAreIgnoredQuietly() {
        Cmdline c = Cmdline.parse("splash nomodeset i915.modeset=0 systemd.unit=rescue.target liftoff.unknown=1");
        assertEquals(List.of(), c.problems());
        assertEquals("modeset=0", c.modules().parameters().get("i915"));
    }

    /**
     * Every step's malformed options are found while the line is parsed, in the order of the words,
     * so the boot reports them together before any step runs; the verity ones, which need ro/rw,
     * come last.
     */
    @Test
    void theProblemsOfEveryStepAreReportedTogether() {
        Cmdline c = Cmdline.parse("rootdelay=abc fsck.mode=bogus liftoff.overlay=bogus rd.luks.uuid=nope"
                + " liftoff.break=sometimes fsck.repair=maybe rd.luks.options=no-read-workqueue rw roothash=xyz"
                + " systemd.verity_root_options=fec-roots=2");
        assertEquals(List.of(
                "rootdelay=abc is not a number of seconds; using 0",
                "fsck.mode=bogus is not auto, force or skip; using auto",
                "liftoff.overlay=bogus is not tmpfs; booting without an overlay",
                "rd.luks.uuid=nope: not a UUID; ignored",
                "liftoff.break=sometimes is not premount or preswitch; not breaking",
                "fsck.repair=maybe is not preen, yes or no; using preen",
                "rd.luks.options: \"no-read-workqueue\" is not supported (only discard); ignored",
                "rw: a verity root is read-only; boot with ro, or add liftoff.overlay=tmpfs for a writable layer over it",
                "roothash=xyz is not a hash in hex (40 to 128 hex digits)",
                "systemd.verity_root_options: 'fec-roots=2' is not supported (liftoff knows hash-offset=, superblock=true,"
                        + " ignore-corruption, restart-on-corruption, panic-on-corruption, ignore-zero-blocks, check-at-most-once)"),
                c.problems());
        assertEquals(c.problems().subList(7, 10), c.verity().problems());
    }

    @Test
    void readsProcCmdlineAndSurvivesItsAbsence(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cmdline");
        Files.writeString(file, "root=LABEL=root rw\n");
        assertEquals(new RootSpec(RootSpec.Kind.LABEL, "root", 0), Cmdline.read(file).root().spec());

        Cmdline missing = Cmdline.read(dir.resolve("absent"));
        assertNull(missing.root().spec());
        assertEquals(1, missing.problems().size());
        assertEquals("cannot read " + dir.resolve("absent") + " (NoSuchFileException); using defaults",
                missing.problems().getFirst());
    }

    @Test
    void commaSeparatedListsDropEmptyItems() {
        assertEquals(List.of("a", "b"), Cmdline.commaSeparated(",a,,b,"));
        assertEquals(List.of(), Cmdline.commaSeparated(""));
        assertEquals(List.of(), Cmdline.commaSeparated(null));
    }
}
