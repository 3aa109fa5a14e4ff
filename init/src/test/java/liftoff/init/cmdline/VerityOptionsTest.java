package liftoff.init.cmdline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import liftoff.init.root.RootSpec;
import org.junit.jupiter.api.Test;

/** The systemd verity command line. */
class VerityOptionsTest {
    private static final String HASH = "d7c5b88ff92d7eb2a9873dba3f8f65252c8e836c8f1957b17061eea0ea9f752f";

    private static VerityOptions parse(String cmdline) {
        return Cmdline.parse(cmdline).verity();
    }

    @Test
    void noRoothashNoVerity() {
        assertNull(parse("root=/dev/vda systemd.verity_root_data=/dev/vda"));
    }

    @Test
    void separateHashDevice() {
        VerityOptions v = parse("roothash=" + HASH.toUpperCase() + " systemd.verity_root_data=/dev/vda systemd.verity_root_hash=PARTLABEL=hash");
        assertEquals(new VerityOptions(HASH, RootSpec.parse("/dev/vda"), RootSpec.parse("PARTLABEL=hash"), 0, List.of(), List.of()), v);
    }

    @Test
    void hashOffsetAndKernelFlags() {
        VerityOptions v = parse("roothash=" + HASH + " systemd.verity_root_data=UUID=0b7c2e1a-7c44-4f4e-9d3e-1f2a3b4c5d6e"
                + " systemd.verity_root_hash=UUID=0b7c2e1a-7c44-4f4e-9d3e-1f2a3b4c5d6e"
                + " systemd.verity_root_options=hash-offset=1048576,superblock=true,restart-on-corruption,ignore-zero-blocks");
        assertEquals(v.data(), v.hash());
        assertEquals(1048576, v.hashOffset());
        assertEquals(List.of("restart-on-corruption", "ignore-zero-blocks"), v.flags());
        assertEquals(List.of(), v.problems());
    }

    @Test
    void withoutDevicesThePartitionsAreFoundByTheRootHashAsSystemdDoes() {
        VerityOptions v = parse("roothash=" + HASH);
        assertEquals(RootSpec.parse("PARTUUID=d7c5b88f-f92d-7eb2-a987-3dba3f8f6525"), v.data());
        assertEquals(RootSpec.parse("PARTUUID=2c8e836c-8f19-57b1-7061-eea0ea9f752f"), v.hash());
    }

    @Test
    void lastOfEachOptionWins() {
        VerityOptions v = parse("roothash=xyz systemd.verity_root_data=/dev/vdx roothash=" + HASH + " systemd.verity_root_data=/dev/vda");
        assertEquals(List.of(), v.problems());
        assertEquals(RootSpec.parse("/dev/vda"), v.data());
    }

    @Test
    void badInputIsAProblemOfTheCommandLineAndOfTheVerityRoot() {
        assertProblem("roothash=xyz", "roothash=xyz is not a hash in hex");
        assertProblem("roothash=" + HASH.substring(1), "is not a hash in hex");
        assertProblem("roothash=" + HASH + " systemd.verity_root_data=", "systemd.verity_root_data=: root= is empty");
        assertProblem("roothash=" + HASH + " systemd.verity_root_hash=vdb", "systemd.verity_root_hash=vdb: root=vdb is not a device");
        assertProblem("roothash=" + HASH + " systemd.verity_root_options=hash-offset=100", "hash-offset=100 is not a byte offset");
        assertProblem("roothash=" + HASH + " systemd.verity_root_options=hash-offset=x", "hash-offset=x is not a byte offset");
        assertProblem("roothash=" + HASH + " systemd.verity_root_options=fec-roots=2", "'fec-roots=2' is not supported");
        assertProblem("roothash=" + HASH + " systemd.verity_root_options=superblock=false", "'superblock=false' is not supported");
    }

    @Test
    void everyProblemIsFoundNotOnlyTheFirst() {
        Cmdline c = Cmdline.parse("roothash=xyz systemd.verity_root_data= systemd.verity_root_options=hash-offset=1,bogus");
        assertEquals(4, c.verity().problems().size(), c.verity().problems().toString());
        assertEquals(c.problems(), c.verity().problems());
    }

    @Test
    void rwNeedsAnOverlayOverTheReadOnlyMapping() {
        assertProblem("roothash=" + HASH + " rw", "rw: a verity root is read-only; boot with ro, or add liftoff.overlay=tmpfs");
        assertProblem("roothash=" + HASH + " rw liftoff.overlay=bogus", "rw: a verity root is read-only");
        assertEquals(List.of(), parse("roothash=" + HASH + " rw liftoff.overlay=tmpfs").problems());
        assertEquals(List.of(), parse("rw roothash=" + HASH + " ro").problems());
    }

    @Test
    void flagsAreKeptOnceInTheirOrder() {
        assertEquals(List.of("panic-on-corruption", "check-at-most-once"),
                parse("roothash=" + HASH + " systemd.verity_root_options=panic-on-corruption,check-at-most-once,panic-on-corruption").flags());
    }

    private static void assertProblem(String cmdline, String part) {
        Cmdline c = Cmdline.parse(cmdline);
        List<String> problems = c.verity().problems();
        assertTrue(problems.size() == 1 && problems.getFirst().contains(part), problems.toString());
        assertTrue(c.problems().contains(problems.getFirst()), c.problems().toString());
    }
}
