package liftoff.cpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's real initrd (the test script installs one): listed segment by segment exactly as GNU cpio lists it. */
class DebianInitrdTest {
    private static final Map<Compression, String> DECODER = Map.of(
            Compression.NONE, "cat", Compression.GZIP, "gzip -dc", Compression.ZSTD, "zstd -dc",
            Compression.XZ, "xz -dc", Compression.LZMA, "xz --format=lzma -dc", Compression.BZIP2, "bzip2 -dc",
            Compression.LZ4, "lz4 -dc");

    @Test
    void everySegmentListsLikeGnuCpio(@TempDir Path tmp) throws Exception {
        List<Path> initrds = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/boot"), "initrd.img-*")) {
            s.forEach(initrds::add);
        }
        assertFalse(initrds.isEmpty(), "no /boot/initrd.img-*: the test script installs a kernel and its initrd");
        for (Path initrd : initrds) {
            // a copy: update-initramfs may rewrite the original while we read it
            Path image = Files.copy(initrd, tmp.resolve("initrd"), StandardCopyOption.REPLACE_EXISTING);
            List<List<String>> ours = new ArrayList<>();
            List<Segment> segments;
            try (ImageReader r = ImageReader.open(image)) {
                for (Entry e; (e = r.next()) != null; ) {
                    int index = r.segments().size();  // completed segments so far: the current one's index
                    while (ours.size() <= index) ours.add(new ArrayList<>());
                    ours.get(index).add(new String(e.name(), StandardCharsets.ISO_8859_1));
                }
                segments = r.segments();
            }
            byte[] bytes = Files.readAllBytes(image);
            assertEquals(bytes.length, segments.getLast().offset() + segments.getLast().compressedSize(), initrd.toString());
            for (Segment s : segments) {
                byte[] raw = Arrays.copyOfRange(bytes, (int) s.offset(), (int) (s.offset() + s.compressedSize()));
                byte[] listing = Tools.run(raw, "sh", "-c", DECODER.get(s.compression()) + " | cpio -t --quiet");
                List<String> gnu = List.of(new String(listing, StandardCharsets.ISO_8859_1).split("\n"));
                assertEquals(gnu, ours.get(s.index()), initrd + " segment " + s.index() + " (" + s.compression().label() + ")");
                assertEquals(gnu.size(), s.entries());
            }
        }
    }
}
