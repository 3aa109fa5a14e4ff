package liftoff.init.cmdline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LuksOptionsTest {
    private static final String A = "0b7d3c2e-1111-4a2b-8c3d-0123456789ab";
    private static final String B = "9a8b7c6d-2222-4e5f-a6b7-ba9876543210";

    @Test
    void uuidsNamesOptionsAndKey() {
        Cmdline c = Cmdline.parse("root=/dev/mapper/root rd.luks.uuid=luks-" + A.toUpperCase()
                + " rd.luks.uuid=" + B + " rd.luks.name=" + B + "=root rd.luks.options=discard rd.luks.key=/etc/keys/root.key");
        LuksOptions o = c.luks();
        assertEquals(List.of(new LuksOptions.Volume(A, "luks-" + A), new LuksOptions.Volume(B, "root")), o.volumes());
        assertTrue(o.discard());
        assertEquals("/etc/keys/root.key", o.keyPath());
        assertEquals(List.of(), c.problems());
    }

    @Test
    void aNameNamesItsUuidBeforeOrAfterTheUuid() {
        assertEquals(List.of(new LuksOptions.Volume(A, "data")), Cmdline.parse("rd.luks.name=" + A + "=data rd.luks.uuid=" + A).luks().volumes());
        assertEquals(List.of(new LuksOptions.Volume(A, "data")), Cmdline.parse("rd.luks.uuid=" + A + " rd.luks.name=" + A + "=data").luks().volumes());
    }

    @Test
    void aKeyDeviceIsAProblemAndThePassphraseIsAskedFor() {
        Cmdline c = Cmdline.parse("rd.luks.name=" + A + "=data rd.luks.key=/k:UUID=" + B);
        assertEquals(List.of(new LuksOptions.Volume(A, "data")), c.luks().volumes());
        assertFalse(c.luks().discard());
        assertNull(c.luks().keyPath());
        assertEquals(List.of("rd.luks.key=/k:UUID=" + B + ": key devices are not supported; asking for the passphrase"), c.problems());
        assertEquals("/k", Cmdline.parse("rd.luks.key=/k:").luks().keyPath());
    }

    @Test
    void malformedValuesAreProblemsNotVolumes() {
        Cmdline c = Cmdline.parse("rd.luks.uuid=nope rd.luks.name=" + A + "=bad/name rd.luks.name=x"
                + " rd.luks.options=discard,no-read-workqueue rd.luks.key=relative.key");
        assertEquals(List.of(), c.luks().volumes());
        assertNull(c.luks().keyPath());
        assertEquals(List.of(
                "rd.luks.uuid=nope: not a UUID; ignored",
                "rd.luks.name=" + A + "=bad/name: expected UUID=NAME (NAME of letters, digits, _ . + -); ignored",
                "rd.luks.name=x: expected UUID=NAME (NAME of letters, digits, _ . + -); ignored",
                "rd.luks.options: \"no-read-workqueue\" is not supported (only discard); ignored",
                "rd.luks.key=relative.key: the key file must be an absolute path in the image; ignored"), c.problems());
    }

    @Test
    void uuidsAndNamesAreCheckedCharacterByCharacter() {
        assertTrue(LuksOptions.isUuid(A) && LuksOptions.isUuid(A.toUpperCase()));
        for (String bad : List.of(A.substring(1), A + "0", A.replace('-', '0'), A.replace("0b7d3c2e-", "0b7d3c2e1-").substring(0, 36),
                A.replace('a', 'g'), A.replace('0', '\u0660'), A.replace('0', '\uFF10'), "")) {
            assertFalse(LuksOptions.isUuid(bad), bad);
        }
        assertTrue(LuksOptions.isName("luks-" + A) && LuksOptions.isName("a.b+c_d-9") && LuksOptions.isName("x".repeat(127)));
        for (String bad : List.of("", "x".repeat(128), "bad/name", "sp ace", "\u00e9t\u00e9", "tab\t")) {
            assertFalse(LuksOptions.isName(bad), bad);
        }
    }

    @Test
    void noLuksOptionsNoVolumes() {
        assertEquals(List.of(), Cmdline.parse("root=/dev/vda rw").luks().volumes());
    }
}
