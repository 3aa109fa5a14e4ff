package liftoff.init.verity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import liftoff.init.BootFailure;
import liftoff.init.Log;
import liftoff.init.cmdline.Cmdline;
import liftoff.init.cmdline.VerityOptions;
import liftoff.init.probe.VeritySuperblock;
import org.junit.jupiter.api.Test;

/** The table built from the verity command line and a superblock. */
class VerityRootTest {
    private static final String HASH = "d7c5b88ff92d7eb2a9873dba3f8f65252c8e836c8f1957b17061eea0ea9f752f";

    private static VerityOptions parse(String cmdline) {
        return Cmdline.parse(cmdline).verity();
    }

    private static VeritySuperblock sha256(byte[] salt) {
        return new VeritySuperblock(1, "02fc3450-f877-4c10-919d-b70d2dc510c9", "sha256", 4096, 4096, 256, salt);
    }

    @Test
    void separateHashDevice() {
        VerityOptions v = parse("roothash=" + HASH.toUpperCase() + " systemd.verity_root_data=/dev/vda systemd.verity_root_hash=PARTLABEL=hash");
        assertEquals("1 /dev/vda /dev/vdb 4096 4096 256 1 sha256 " + HASH + " 00ff",
                VerityRoot.table(v, sha256(new byte[] {0, (byte) 0xff}), Path.of("/dev/vda"), Path.of("/dev/vdb")));
    }

    @Test
    void hashOffsetAndKernelFlags() {
        VerityOptions v = parse("roothash=" + HASH + " systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vda"
                + " systemd.verity_root_options=hash-offset=1048576,superblock=true,restart-on-corruption,ignore-zero-blocks");
        assertEquals("1 /dev/vda /dev/vda 4096 4096 256 257 sha256 " + HASH + " - 2 restart_on_corruption ignore_zero_blocks",
                VerityRoot.table(v, sha256(new byte[0]), Path.of("/dev/vda"), Path.of("/dev/vda")));
    }

    @Test
    void aRootHashOfTheWrongLengthForTheAlgorithmIsRefused() {
        VerityOptions v = parse("roothash=" + HASH.substring(0, 40) + " systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vdb");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VerityRoot.table(v, sha256(new byte[0]), Path.of("/dev/vda"), Path.of("/dev/vdb")));
        assertEquals("roothash= has 20 bytes but the hash device's sha256 makes 32", e.getMessage());
    }

    /** A verity root is there to refuse what it cannot check: a malformed one stops the boot before any device is waited for. */
    @Test
    void aMalformedVerityCommandLineStopsTheBoot() {
        Cmdline c = Cmdline.parse("roothash=xyz rw");
        BootFailure failure = assertThrows(BootFailure.class, () -> VerityRoot.open(c.verity(), c.root(), null, null, new Log()));
        assertEquals("dm-verity root: rw: a verity root is read-only; boot with ro, or add liftoff.overlay=tmpfs for a writable"
                + " layer over it; roothash=xyz is not a hash in hex (40 to 128 hex digits)", failure.getMessage());
    }
}
