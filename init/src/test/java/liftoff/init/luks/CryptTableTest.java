package liftoff.init.luks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import liftoff.sys.DeviceMapper;
import org.junit.jupiter.api.Test;

/** The dm-crypt table lines, in the form `dmsetup table` prints for a cryptsetup mapping with its key in the keyring. */
class CryptTableTest {
    @Test
    void luks2WithLargeSectorsAndDiscards() throws LuksException {
        LuksHeader.Segment segment = new LuksHeader.Segment(16 << 20, -1, 0, "aes-xts-plain64", 4096);
        DeviceMapper.Target t = CryptTable.target(segment, 64, "liftoff:CRYPT-LUKS2-x-root", "/dev/vda", (64 << 20) + 1024, true);
        assertEquals(new DeviceMapper.Target(0, 98304, "crypt",
                "aes-xts-plain64 :64:logon:liftoff:CRYPT-LUKS2-x-root 0 /dev/vda 32768 2 allow_discards sector_size:4096"), t);
    }

    @Test
    void luks1WithAFixedSizeSegment() throws LuksException {
        LuksHeader.Segment segment = new LuksHeader.Segment(2 << 20, 1 << 20, 0, "aes-cbc-essiv:sha256", 512);
        assertEquals("aes-cbc-essiv:sha256 :32:logon:liftoff:k 0 /dev/sda2 4096",
                CryptTable.target(segment, 32, "liftoff:k", "/dev/sda2", 8 << 20, false).params());
    }

    @Test
    void noDataAfterTheHeaderIsAnError() {
        LuksHeader.Segment segment = new LuksHeader.Segment(16 << 20, -1, 0, "aes-xts-plain64", 512);
        assertEquals("/dev/vda holds no encrypted data after its LUKS header",
                assertThrows(LuksException.class, () -> CryptTable.target(segment, 64, "liftoff:k", "/dev/vda", 16 << 20, false)).getMessage());
    }
}
