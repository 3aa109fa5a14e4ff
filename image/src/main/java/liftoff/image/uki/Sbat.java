package liftoff.image.uki;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code .sbat} section: shim's Secure Boot Advanced Targeting metadata
 * (https://github.com/rhboot/shim/blob/main/SBAT.md), CSV lines of component name, generation,
 * vendor, package, version, URL. A UKI's holds the lines of every part that could be revoked: the
 * stub's, the kernel's when it has its own, and the builder's, under one {@code sbat} header line,
 * NUL-terminated, as systemd's ukify merges them.
 */
public final class Sbat {
    public static final String HEADER = "sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md";

    private Sbat() {}

    /**
     * The merged section text. {@code sections} are .sbat section contents as found (NUL padding
     * allowed); one whose first line is not an {@code sbat,} header is not SBAT data and is left out,
     * as ukify does. {@code ownLine} is appended last.
     */
    public static String merge(List<String> sections, String ownLine) {
        List<String> lines = new ArrayList<>();
        for (String section : sections) {
            List<String> sectionLines = section.replace("\0", "").lines().filter(l -> !l.isBlank()).toList();
            if (sectionLines.isEmpty() || !sectionLines.getFirst().startsWith("sbat,")) continue;
            lines.addAll(sectionLines.subList(1, sectionLines.size()));
        }
        lines.add(ownLine);
        return HEADER + "\n" + String.join("\n", lines) + "\n\0";
    }
}
