package liftoff.init.luks;

import java.util.ArrayList;
import java.util.List;
import liftoff.sys.DeviceMapper;

/**
 * The dm-crypt table line for a LUKS data segment, as cryptsetup loads it:
 * {@code crypt <cipher> <hex key> <iv offset> <device> <offset> [n options]} over the segment's
 * 512-byte sectors, with sector_size:N when the segment uses larger sectors and allow_discards when
 * asked for. The key is not in the line: it names a "logon" key the caller put into the kernel's
 * keyring ({@code :<bytes>:logon:<description>}, as cryptsetup does), which dm-crypt fetches when
 * the table loads; a hex key would sit in a Java String that cannot be wiped.
 */
public final class CryptTable {
    private static final int SECTOR = 512;

    private CryptTable() {}

    public static DeviceMapper.Target target(LuksHeader.Segment segment, int keyBytes, String keyDescription, String device,
            long deviceBytes, boolean discard) throws LuksException {
        long end = segment.size() < 0 ? deviceBytes : segment.offset() + segment.size();
        if (end > deviceBytes) throw new LuksException("the encrypted data runs past the end of " + device);
        long bytes = (end - segment.offset()) / segment.sectorSize() * segment.sectorSize();
        if (bytes <= 0) throw new LuksException(device + " holds no encrypted data after its LUKS header");
        List<String> options = new ArrayList<>();
        if (discard) options.add("allow_discards");
        if (segment.sectorSize() != SECTOR) options.add("sector_size:" + segment.sectorSize());
        String params = segment.cipher() + " :" + keyBytes + ":logon:" + keyDescription + " " + segment.ivTweak() + " "
                + device + " " + segment.offset() / SECTOR
                + (options.isEmpty() ? "" : " " + options.size() + " " + String.join(" ", options));
        return new DeviceMapper.Target(0, bytes / SECTOR, "crypt", params);
    }

    /** The name of the mapping's volume key in the kernel's keyring ("logon" keys need a "service:" prefix). */
    public static String keyDescription(LuksHeader header, String name) {
        return "liftoff:" + dmUuid(header, name);
    }

    /** The device-mapper UUID cryptsetup gives a LUKS mapping, so tools such as lsblk and systemd recognise it. */
    public static String dmUuid(LuksHeader header, String name) {
        return "CRYPT-LUKS" + header.version() + "-" + header.uuid().replace("-", "") + "-" + name;
    }
}
