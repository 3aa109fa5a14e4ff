package liftoff.init.cmdline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import liftoff.init.root.RootSpec;
import org.junit.jupiter.api.Test;

class RootOptionsTest {
    private static final String HASH = "d7c5b88ff92d7eb2a9873dba3f8f65252c8e836c8f1957b17061eea0ea9f752f";

    private static RootOptions root(String cmdline) {
        return Cmdline.parse(cmdline).root();
    }

    @Test
    void defaultsWhenEmpty() {
        RootOptions r = root("");
        assertNull(r.spec());
        assertEquals(List.of(), r.fsTypes());
        assertNull(r.flags());
        assertTrue(r.readOnly());
        assertFalse(r.overlay());
        assertFalse(r.rootWait());
        assertEquals(0, r.delaySeconds());
        assertEquals(30, r.timeoutSeconds());
        assertEquals(30_000, r.waitLimitMs());
        assertEquals(List.of("/sbin/init", "/etc/init", "/bin/init", "/bin/sh"), r.initCandidates());
        assertEquals(List.of(), r.initArguments());
    }

    @Test
    void lastOfRoAndRwWins() {
        assertFalse(root("ro rw").readOnly());
        assertTrue(root("rw ro").readOnly());
        assertFalse(root("rw").readOnly());
    }

    @Test
    void lastRootWins() {
        assertEquals(new RootSpec(RootSpec.Kind.PARTUUID, "abc", 0), root("root=/dev/sda1 root=PARTUUID=abc").spec());
    }

    @Test
    void rootWaitWithAndWithoutLimit() {
        RootOptions forever = root("rootwait liftoff.timeout=5");
        assertEquals(OptionalInt.empty(), forever.rootWaitSeconds());
        assertEquals(-1, forever.waitLimitMs());
        RootOptions limited = root("rootwait=15");
        assertTrue(limited.rootWait());
        assertEquals(OptionalInt.of(15), limited.rootWaitSeconds());
        assertEquals(15_000, limited.waitLimitMs());
    }

    @Test
    void delaysAndTimeouts() {
        RootOptions r = root("rootdelay=5 liftoff.timeout=90");
        assertEquals(5, r.delaySeconds());
        assertEquals(90, r.timeoutSeconds());
        assertEquals(90_000, r.waitLimitMs());
    }

    @Test
    void explicitInitHasNoFallbacks() {
        assertEquals(List.of("/usr/lib/systemd/systemd"), root("init=/usr/lib/systemd/systemd").initCandidates());
    }

    @Test
    void rootfstypeIsAListOfTypesToTry() {
        assertEquals(List.of("ext4", "xfs"), root("rootfstype=,ext4,,xfs").fsTypes());
    }

    @Test
    void overlayOnlyOverTmpfs() {
        assertTrue(root("liftoff.overlay=tmpfs").overlay());
        Cmdline bogus = Cmdline.parse("liftoff.overlay=tmpfs liftoff.overlay=bogus");
        assertFalse(bogus.root().overlay(), "the problem says it boots without one");
        assertEquals(List.of("liftoff.overlay=bogus is not tmpfs; booting without an overlay"), bogus.problems());
        assertEquals(List.of("liftoff.overlay= is not tmpfs; booting without an overlay"), Cmdline.parse("liftoff.overlay").problems());
    }

    @Test
    void malformedOptionsBecomeProblemsAndKeepDefaults() {
        Cmdline c = Cmdline.parse("rootdelay=abc root=UUID= liftoff.timeout=-3 rootwait=soon rootfstype= rootfstype=, init=");
        RootOptions r = c.root();
        assertEquals(0, r.delaySeconds());
        assertNull(r.spec());
        assertEquals(30, r.timeoutSeconds());
        assertTrue(r.rootWait());
        assertEquals(OptionalInt.empty(), r.rootWaitSeconds());
        assertEquals(List.of(), r.fsTypes());
        assertEquals(4, r.initCandidates().size());
        assertEquals(List.of(
                "rootdelay=abc is not a number of seconds; using 0",
                "root=UUID= names no UUID; no root device",
                "liftoff.timeout=-3 is not a number of seconds; using 30",
                "rootwait=soon is not a number of seconds; using no limit",
                "rootfstype= needs a value; ignored",
                "rootfstype= needs a value; ignored",
                "init= needs a value; ignored"), c.problems());
    }

    @Test
    void aMalformedRootKeepsTheEarlierOne() {
        Cmdline c = Cmdline.parse("root=/dev/vda1 root=sda1");
        assertEquals(new RootSpec(RootSpec.Kind.PATH, "/dev/vda1", 0), c.root().spec());
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().getFirst().startsWith("root=sda1 is not a device"), c.problems().getFirst());
        assertTrue(c.problems().getFirst().endsWith("; keeping root=/dev/vda1"), c.problems().getFirst());
    }

    @Test
    void roothashMakesTheRootTheMapping() {
        assertEquals(new RootSpec(RootSpec.Kind.PATH, "/dev/mapper/root", 0), root("roothash=" + HASH).spec());
        assertEquals(new RootSpec(RootSpec.Kind.PATH, "/dev/vdc", 0), root("roothash=" + HASH + " root=/dev/vdc").spec());
        // What the problem says: a root= that was given, but malformed, leaves no root device.
        Cmdline c = Cmdline.parse("roothash=" + HASH + " root=vdc");
        assertNull(c.root().spec());
        assertTrue(c.problems().getFirst().endsWith("; no root device"), c.problems().getFirst());
    }

    @Test
    void liftoffRootTakesTheRealRootsWordsAndLeavesTheKernelItsOwn() {
        RootOptions r = root("root=/dev/nvme0n1p1 rootfstype=ext4 rootflags=noload ro init=/init"
                + " liftoff.root=UUID=0A1B2C3D-0000-4000-8000-000000000001 liftoff.rootfstype=xfs liftoff.rootflags=noatime"
                + " liftoff.rw liftoff.init=/sbin/s6-init");
        assertTrue(r.liftoffRoot());
        assertEquals(new RootSpec(RootSpec.Kind.UUID, "0a1b2c3d-0000-4000-8000-000000000001", 0), r.spec());
        assertEquals(List.of("xfs"), r.fsTypes());
        assertEquals("noatime", r.flags());
        assertFalse(r.readOnly());
        assertEquals(List.of("/sbin/s6-init"), r.initCandidates());
        assertEquals("liftoff.root=UUID=0a1b2c3d-0000-4000-8000-000000000001", r.rootWord());
    }

    @Test
    void withLiftoffRootTheKernelsInitRwAndWaitAreNotTheRealRoots() {
        RootOptions r = root("root=/dev/vda1 rw init=/init rootwait rootdelay=3 liftoff.root=/dev/vda2 liftoff.timeout=5");
        assertEquals(new RootSpec(RootSpec.Kind.PATH, "/dev/vda2", 0), r.spec());
        assertTrue(r.readOnly(), "rw made the kernel mount its partition writable; liftoff.rw is the real root's");
        assertEquals(List.of("/sbin/init", "/etc/init", "/bin/init", "/bin/sh"), r.initCandidates(), "init=/init started liftoff");
        assertFalse(r.rootWait(), "rootwait made the kernel wait for its partition");
        assertEquals(0, r.delaySeconds());
        assertEquals(5_000, r.waitLimitMs());
        RootOptions waiting = root("root=/dev/vda1 liftoff.root=/dev/vda2 liftoff.rootwait liftoff.rootdelay=2");
        assertEquals(-1, waiting.waitLimitMs());
        assertEquals(2, waiting.delaySeconds());
        assertFalse(root("root=/dev/vda1 rw").liftoffRoot());
    }

    @Test
    void liftoffRootCompanionsWithoutLiftoffRootAreIgnoredWithAProblem() {
        Cmdline c = Cmdline.parse("root=/dev/vda liftoff.rw liftoff.init=/x liftoff.rw");
        assertEquals(new RootSpec(RootSpec.Kind.PATH, "/dev/vda", 0), c.root().spec());
        assertTrue(c.root().readOnly());
        assertEquals(List.of("/sbin/init", "/etc/init", "/bin/init", "/bin/sh"), c.root().initCandidates());
        assertEquals(List.of("liftoff.rw goes with liftoff.root=, which is not given; ignored",
                "liftoff.init goes with liftoff.root=, which is not given; ignored"), c.problems());
    }

    @Test
    void aMalformedLiftoffRootIsNamedAsWritten() {
        Cmdline c = Cmdline.parse("root=/dev/vda1 liftoff.root=vda2");
        assertNull(c.root().spec());
        assertTrue(c.root().liftoffRoot());
        assertTrue(c.problems().getFirst().startsWith("liftoff.root=vda2 is not a device"), c.problems().getFirst());
        assertTrue(c.problems().getFirst().endsWith("; no root device"), c.problems().getFirst());
    }

    @Test
    void rootInitramfsNamesNoDevice() {
        Cmdline c = Cmdline.parse("root=initramfs");
        assertTrue(c.root().initramfs());
        assertNull(c.root().spec());
        assertEquals("root=initramfs", c.root().rootWord());
        assertEquals(List.of(), c.problems());
        assertFalse(root("root=initramfs root=/dev/vda").initramfs(), "the last root= wins");
        Cmdline kept = Cmdline.parse("root=initramfs root=vda");
        assertTrue(kept.root().initramfs());
        assertTrue(kept.problems().getFirst().endsWith("; keeping root=initramfs"), kept.problems().getFirst());
    }

    @Test
    void oldRootDefaultsUnderRunAndTakesAPlainAbsolutePath() {
        assertEquals("/run/liftoff/early", root("").oldRoot());
        assertEquals("/boot", root("liftoff.oldroot=/boot").oldRoot());
        for (String bad : List.of("boot", "/", "/boot/", "/a/../b", "/a//b", "")) {
            Cmdline c = Cmdline.parse("liftoff.oldroot=/mnt liftoff.oldroot=" + bad);
            assertEquals("/mnt", c.root().oldRoot(), bad);
            assertEquals(List.of("liftoff.oldroot=" + bad + " is not a plain absolute path below / (such as /boot); using /mnt"),
                    c.problems());
        }
    }
}
