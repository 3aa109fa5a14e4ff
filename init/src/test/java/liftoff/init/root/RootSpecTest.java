package liftoff.init.root;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RootSpecTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/dev/sda1                                      | PATH      | /dev/sda1                            | 0",
        "/dev/mapper/vg-root                            | PATH      | /dev/mapper/vg-root                  | 0",
        "UUID=0B7C2E1A-7C44-4F4E-9D3E-1F2A3B4C5D6E      | UUID      | 0b7c2e1a-7c44-4f4e-9d3e-1f2a3b4c5d6e | 0",
        "uuid=775A-893B                                 | UUID      | 775a-893b                            | 0",
        "LABEL=Root FS                                  | LABEL     | Root FS                              | 0",
        "PARTUUID=1234ABCD-02                           | PARTUUID  | 1234abcd-02                          | 0",
        "PARTUUID=1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/PARTNROFF=1 | PARTUUID | 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d | 1",
        "PARTLABEL=root                                 | PARTLABEL | root                                 | 0",
        "8:3                                            | DEVNUM    | 8:3                                  | 0",
        "259:12                                         | DEVNUM    | 259:12                               | 0",
        "0803                                           | DEVNUM    | 8:3                                  | 0",
        "fe00                                           | DEVNUM    | 254:0                                | 0",
        "10312                                          | DEVNUM    | 259:18                               | 0",
        "10082c                                         | DEVNUM    | 8:300                                | 0",
        "/dev/disk/by-uuid/0b7c2e1a-7c44-4f4e-9d3e-1f2a3b4c5d6e | UUID | 0b7c2e1a-7c44-4f4e-9d3e-1f2a3b4c5d6e | 0",
        "/dev/disk/by-label/my\\x20root                  | LABEL     | my root                              | 0",
        "/dev/disk/by-partuuid/1234abcd-01              | PARTUUID  | 1234abcd-01                          | 0",
        "/dev/disk/by-partlabel/EFI\\x2fboot             | PARTLABEL | EFI/boot                             | 0",
        "/dev/disk/by-id/ata-disk1                      | PATH      | /dev/disk/by-id/ata-disk1            | 0",
    })
    void parses(String text, RootSpec.Kind kind, String value, int offset) {
        assertEquals(new RootSpec(kind, value, offset), RootSpec.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "UUID=", "LABEL=", "PARTUUID=", "PARTLABEL=", "PARTUUID=/PARTNROFF=1",
                            "PARTUUID=abc/PARTNROFF=x", "sda1", "8:", ":3", "8:3x", "nfs", "123456789"})
    void rejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RootSpec.parse(text));
        assertEquals(true, e.getMessage().startsWith("root="), e.getMessage());
    }

    @Test
    void devnumParts() {
        RootSpec spec = RootSpec.parse("0803");
        assertEquals(8, spec.major());
        assertEquals(3, spec.minor());
    }

    @Test
    void printsAsRootEquals() {
        assertEquals("UUID=abc", RootSpec.parse("UUID=ABC").toString());
        assertEquals("PARTUUID=abc/PARTNROFF=2", RootSpec.parse("PARTUUID=abc/PARTNROFF=2").toString());
        assertEquals("/dev/vda1", RootSpec.parse("/dev/vda1").toString());
        assertEquals("8:3", RootSpec.parse("8:3").toString());
    }
}
