package liftoff.init.cmdline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import liftoff.init.cmdline.FsckOptions.Mode;
import liftoff.init.cmdline.FsckOptions.Repair;
import org.junit.jupiter.api.Test;

class FsckOptionsTest {

    @Test
    void modesAndRepairsBySystemdsNames() {
        assertEquals(new FsckOptions(Mode.FORCE, Repair.NO), Cmdline.parse("fsck.mode=force fsck.repair=no").fsck());
        assertEquals(new FsckOptions(Mode.SKIP, Repair.YES), Cmdline.parse("fsck.mode=skip fsck.repair=yes").fsck());
        assertEquals(new FsckOptions(Mode.AUTO, Repair.PREEN), Cmdline.parse("fsck.mode=force fsck.mode=auto fsck.repair=preen").fsck());
    }

    @Test
    void aMalformedValueIsAProblemAndMeansTheDefault() {
        Cmdline c = Cmdline.parse("fsck.mode=force fsck.mode=sometimes fsck.repair=no fsck.repair=maybe fsck.mode");
        assertEquals(new FsckOptions(Mode.AUTO, Repair.PREEN), c.fsck());
        assertEquals(List.of(
                "fsck.mode=sometimes is not auto, force or skip; using auto",
                "fsck.repair=maybe is not preen, yes or no; using preen",
                "fsck.mode= is not auto, force or skip; using auto"), c.problems());
    }
}
