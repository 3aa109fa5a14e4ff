package liftoff.init.root;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import liftoff.init.probe.FakeSysfs;
import liftoff.init.probe.Samples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * root= resolved against a fake machine: a GPT disk vda (partitions: ext4, xfs), a dos disk
 * nvme0n1 (partitions 1, 2, 5 holding swap, 6 not announced yet), a whole-disk squashfs on
 * cciss/c0d0, an empty loop0 and an sr0 without a node.
 */
class RootFinderTest {

    @TempDir
    Path dir;

    private FakeSysfs fake;
    private RootFinder finder;

    @BeforeEach
    void machine() throws IOException {
        Path samples = Files.createDirectories(dir.resolve("samples"));
        Path empty = Files.createFile(samples.resolve("empty"));
        fake = new FakeSysfs(dir.resolve("machine"))
                .disk("vda", 254, 0, Samples.unpack("gpt", samples))
                .partition("vda", "vda1", 254, 1, 1, Samples.unpack("ext4", samples))
                .partition("vda", "vda2", 254, 2, 2, Samples.unpack("xfs", samples))
                .disk("nvme0n1", 259, 0, Samples.unpack("dos", samples))
                .partition("nvme0n1", "nvme0n1p1", 259, 1, 1, empty)
                .partition("nvme0n1", "nvme0n1p2", 259, 2, 2, empty)
                .partition("nvme0n1", "nvme0n1p5", 259, 3, 5, Samples.unpack("swap", samples))
                .disk("cciss!c0d0", 104, 0, Samples.unpack("squashfs", samples))
                .disk("loop0", 7, 0, empty)
                .disk("sr0", 11, 0, null);
        finder = new RootFinder(fake.devices());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "UUID=0B7C2E1A-7C44-4F4E-9D3E-1F2A3B4C5D6E                  | vda1",
        "LABEL=xroot                                                | vda2",
        "UUID=11111111-2222-3333-4444-555555555555                  | nvme0n1p5",
        "PARTUUID=1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d              | vda1",
        "PARTUUID=1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D/PARTNROFF=1  | vda2",
        "PARTLABEL=root ü                                           | vda2",
        "PARTUUID=1234abcd-05                                       | nvme0n1p5",
        "/dev/vda2                                                  | vda2",
        "/dev/cciss/c0d0                                            | cciss/c0d0",
        "254:1                                                      | vda1",
        "fe02                                                       | vda2",
        "/dev/disk/by-partlabel/EFI                                 | vda1",
    })
    void findsTheDevice(String root, String node) throws IOException {
        assertEquals(fake.dev.resolve(node), finder.find(RootSpec.parse(root)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "UUID=00000000-0000-0000-0000-000000000001 | no such filesystem",
        "LABEL=XROOT                               | labels are case-sensitive",
        "PARTUUID=1234abcd-06                      | in the table, but the kernel has not announced it",
        "PARTLABEL=nope                            | no such partition",
        "/dev/sdz                                  | no such device",
        "8:0                                       | no such number",
    })
    void answersNoneYet(String root, String why) throws IOException {
        assertNull(finder.find(RootSpec.parse(root)), why);
    }

    @Test
    void aDeviceThatAppearsLaterIsFoundOnTheNextCall() throws IOException {
        RootSpec spec = RootSpec.parse("PARTUUID=1234abcd-06");
        assertNull(finder.find(spec));
        Path node = fake.dev.resolve("nvme0n1p6");
        fake.partition("nvme0n1", "nvme0n1p6", 259, 4, 6, null);
        assertNull(finder.find(spec), "sysfs lists it, but devtmpfs has not made the node yet");
        Files.createFile(node);
        assertEquals(node, finder.find(spec));
    }
}
