package liftoff.cpio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducibilityTest {
    @TempDir
    Path tmp;

    private static byte[] create(Path tree, long epoch) throws IOException {
        ArchivePlan plan = new ArchivePlan().clampMtime(epoch).owner(0, 0);
        TreeSource.addTree(plan, tree);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CpioWriter w = new CpioWriter(Compression.parse("zstd:9").open(out), Format.NEWC)) {
            plan.writeTo(w);
        }
        return out.toByteArray();
    }

    @Test
    void sameInputSameBytesWhateverTheCreationOrderAndTimes() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Trees.sample(a);
        // the same tree made in another order and at another time: directory order and mtimes differ
        Files.createDirectories(b.resolve("etc"));
        Trees.sample(b);
        Files.setLastModifiedTime(b.resolve("etc/data"), FileTime.fromMillis(System.currentTimeMillis()));
        byte[] first = create(a, 1_000_000_000L);
        assertArrayEquals(first, create(a, 1_000_000_000L));
        assertArrayEquals(first, create(b, 1_000_000_000L));
    }

    @Test
    void mtimesAreClampedAndInodesNumberedInOrder() throws Exception {
        Path a = tmp.resolve("a");
        Trees.sample(a);
        List<Archives.Read> all = Archives.readAll(create(a, 1_000_000_000L));
        long ino = 0;
        for (Archives.Read r : all) {
            assertEquals(1_000_000_000L, r.entry().mtime(), r.name());
            assertEquals(0, r.entry().uid());
            if (!r.entry().isHardLinked()) assertEquals(++ino, r.entry().ino(), r.name());
            else if (r.name().equals("etc/tool3")) assertEquals(++ino, r.entry().ino());  // first member of its group
        }
    }
}
