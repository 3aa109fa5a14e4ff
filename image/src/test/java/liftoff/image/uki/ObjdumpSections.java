package liftoff.image.uki;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The section table as binutils' {@code objdump -h} prints it, and as this package's reader should print it. */
record ObjdumpSections(List<Row> rows) {
    /** One line: name, size, VMA (image base + address), file offset. */
    record Row(String name, long size, long vma, long fileOffset) {}

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+\\s+(\\S+)\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s+[0-9a-f]+\\s+([0-9a-f]+)\\s+2\\*\\*\\d+$");

    static ObjdumpSections of(Path image) throws IOException, InterruptedException {
        String output = UkiFixtures.check("objdump", "-h", image.toString());
        return new ObjdumpSections(output.lines().map(ROW::matcher).filter(Matcher::matches)
                .map(m -> new Row(m.group(1), Long.parseLong(m.group(2), 16), Long.parseLong(m.group(3), 16), Long.parseLong(m.group(4), 16)))
                .toList());
    }

    /**
     * What objdump should print for the table {@link PeHeaders} reads: BFD gives an image's section
     * the size of its memory content, VirtualSize, unless the raw data is shorter.
     */
    static ObjdumpSections expected(Path image) throws IOException {
        try (PeFile pe = PeFile.open(image)) {
            PeHeaders h = pe.headers();
            return new ObjdumpSections(h.sections().stream()
                    .map(s -> new Row(s.name(), s.contentSize(), h.imageBase() + s.virtualAddress(), s.pointerToRawData())).toList());
        }
    }
}
