package liftoff.init.verity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import liftoff.init.cmdline.Cmdline;
import liftoff.init.probe.VeritySuperblock;
import liftoff.init.root.RootSpec;
import org.junit.jupiter.api.Test;

/** The systemd verity command line and the table built from it and a superblock. */
class VerityRootTest {
    private static final String HASH = "d7c5b88ff92d7eb2a9873dba3f8f65252c8e836c8f1957b17061eea0ea9f752f";

    private static VerityRoot parse(String cmdline) {
        return VerityRoot.fromCmdline(Cmdline.parse(cmdline));
    }

    private static VeritySuperblock sha256(byte[] salt) {
        return new VeritySuperblock(1, "02fc3450-f877-4c10-919d-b70d2dc510c9", "sha256", 4096, 4096, 256, salt);
    }

    @Test
    void noRoothashNoVerity() {
        assertNull(parse("root=/dev/vda systemd.verity_root_data=/dev/vda"));
    }

    @Test
    void separateHashDevice() {
        VerityRoot v = parse("roothash=" + HASH.toUpperCase() + " systemd.verity_root_data=/dev/vda systemd.verity_root_hash=PARTLABEL=hash");
        assertEquals(RootSpec.parse("/dev/vda"), v.data());
        assertEquals(RootSpec.parse("PARTLABEL=hash"), v.hash());
        assertEquals(HASH, v.rootHash());
        assertEquals("1 /dev/vda /dev/vdb 4096 4096 256 1 sha256 " + HASH + " 00ff",
                v.table(sha256(new byte[] {0, (byte) 0xff}), Path.of("/dev/vda"), Path.of("/dev/vdb")));
    }

    @Test
    void hashOffsetAndKernelFlags() {
        VerityRoot v = parse("roothash=" + HASH + " systemd.verity_root_data=UUID=0b7c2e1a-7c44-4f4e-9d3e-1f2a3b4c5d6e"
                + " systemd.verity_root_hash=UUID=0b7c2e1a-7c44-4f4e-9d3e-1f2a3b4c5d6e"
                + " systemd.verity_root_options=hash-offset=1048576,superblock=true,restart-on-corruption,ignore-zero-blocks");
        assertEquals(v.data(), v.hash());
        assertEquals(1048576, v.hashOffset());
        assertEquals("1 /dev/vda /dev/vda 4096 4096 256 257 sha256 " + HASH + " - 2 restart_on_corruption ignore_zero_blocks",
                v.table(sha256(new byte[0]), Path.of("/dev/vda"), Path.of("/dev/vda")));
    }

    @Test
    void withoutDevicesThePartitionsAreFoundByTheRootHashAsSystemdDoes() {
        VerityRoot v = parse("roothash=" + HASH);
        assertEquals(RootSpec.parse("PARTUUID=d7c5b88f-f92d-7eb2-a987-3dba3f8f6525"), v.data());
        assertEquals(RootSpec.parse("PARTUUID=2c8e836c-8f19-57b1-7061-eea0ea9f752f"), v.hash());
    }

    @Test
    void roothashMakesTheRootTheMapping() {
        assertEquals(RootSpec.parse("/dev/mapper/root"), Cmdline.parse("roothash=" + HASH).root());
        assertEquals(RootSpec.parse("/dev/vdc"), Cmdline.parse("roothash=" + HASH + " root=/dev/vdc").root());
    }

    @Test
    void badInputIsAClearError() {
        assertMessage("roothash=xyz", "roothash=xyz is not a hash in hex");
        assertMessage("roothash=" + HASH.substring(1), "is not a hash in hex");
        assertMessage("roothash=" + HASH + " systemd.verity_root_data=", "systemd.verity_root_data=: root= is empty");
        assertMessage("roothash=" + HASH + " systemd.verity_root_options=hash-offset=100", "hash-offset=100 is not a byte offset");
        assertMessage("roothash=" + HASH + " systemd.verity_root_options=hash-offset=x", "hash-offset=x is not a byte offset");
        assertMessage("roothash=" + HASH + " systemd.verity_root_options=fec-roots=2", "'fec-roots=2' is not supported");
        assertMessage("roothash=" + HASH + " systemd.verity_root_options=superblock=false", "'superblock=false' is not supported");
    }

    @Test
    void rwNeedsAnOverlayOverTheReadOnlyMapping() {
        assertMessage("roothash=" + HASH + " rw", "rw: a verity root is read-only; boot with ro, or add liftoff.overlay=tmpfs");
        assertEquals(HASH, parse("roothash=" + HASH + " rw liftoff.overlay=tmpfs").rootHash());
        assertEquals(HASH, parse("rw roothash=" + HASH + " ro").rootHash());
    }

    @Test
    void aRootHashOfTheWrongLengthForTheAlgorithmIsRefused() {
        VerityRoot v = parse("roothash=" + HASH.substring(0, 40) + " systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vdb");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v.table(sha256(new byte[0]), Path.of("/dev/vda"), Path.of("/dev/vdb")));
        assertEquals("roothash= has 20 bytes but the hash device's sha256 makes 32", e.getMessage());
    }

    private static void assertMessage(String cmdline, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(cmdline));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void flagsAreKeptOnceInTheirOrder() {
        assertEquals(List.of("panic-on-corruption", "check-at-most-once"),
                parse("roothash=" + HASH + " systemd.verity_root_options=panic-on-corruption,check-at-most-once,panic-on-corruption").flags());
    }
}
