package liftoff.init.cmdline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleOptionsTest {

    @Test
    void moduleListsAddUpAndUseUnderscores() {
        Cmdline c = Cmdline.parse("liftoff.modules=virtio-blk,,ext4 liftoff.modules=nvme"
                + " modprobe.blacklist=nouveau,pcspkr modprobe.blacklist=floppy liftoff.modules=");
        assertEquals(List.of("virtio_blk", "ext4", "nvme"), c.modules().extra());
        assertEquals(List.of("nouveau", "pcspkr", "floppy"), c.modules().blacklist());
        assertEquals(List.of(), c.problems());
    }

    /** What modprobe would read from /proc/cmdline: module.option=value, by module, spaced values quoted again. */
    @Test
    void dottedKeysAreModuleParameters() {
        Cmdline c = Cmdline.parse("virtio-blk.queue_depth=64 virtio_blk.mq \"usbcore.quirks=1 2\" liftoff.debug"
                + " modprobe.blacklist=x modprobe.other=y .x=1 x.=1 -- i915.modeset=0");
        assertEquals(Map.of("virtio_blk", "queue_depth=64 mq", "usbcore", "quirks=\"1 2\""), c.modules().parameters());
    }
}
