package liftoff.image;

import java.util.List;

/** Entries as gen_init_cpio spec text, one line each with its newline: what the layout tests read. */
final class Listing {
    private Listing() {}

    static String of(List<ImageEntry> entries) {
        StringBuilder text = new StringBuilder();
        for (ImageEntry entry : entries) text.append(entry.line()).append('\n');
        return text.toString();
    }
}
