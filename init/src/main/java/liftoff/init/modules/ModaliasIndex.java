package liftoff.init.modules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The modules.alias patterns a device's modalias is matched against: only those of its own bus (the
 * text before the first ':') and those whose bus part is itself a wildcard ("acpi*:PNP0A03:*"), and
 * of those only the ones their {@link GlobPrefilter} admits reach {@link Glob#matches}. Under -Xint
 * a glob match per pattern of the bus made coldplug's lookups slow.
 */
final class ModaliasIndex {
    /** The key of the patterns whose bus part is a wildcard: tried for every modalias. */
    private static final String WILDCARD_BUS = "*";

    private record Candidate(ModuleDatabase.Alias alias, GlobPrefilter prefilter) {}

    private final Map<String, List<Candidate>> byBus = new HashMap<>();   // "pci" -> the "pci:..." patterns, file order

    ModaliasIndex(List<ModuleDatabase.Alias> aliases) {
        for (ModuleDatabase.Alias alias : aliases) {
            String bus = bus(alias.pattern());
            List<Candidate> candidates = byBus.get(bus);
            if (candidates == null) {   // not computeIfAbsent: a lambda's first call is slow to link under -Xint
                candidates = new ArrayList<>();
                byBus.put(bus, candidates);
            }
            candidates.add(new Candidate(alias, GlobPrefilter.of(alias.pattern())));
        }
    }

    /** The modules whose patterns match, the bus's own patterns first, each list in file order. */
    Set<String> modulesFor(String modalias) {
        Set<String> found = new LinkedHashSet<>();
        int colon = modalias.indexOf(':');
        addMatches(byBus.get(colon < 0 ? modalias : modalias.substring(0, colon)), modalias, found);
        addMatches(byBus.get(WILDCARD_BUS), modalias, found);
        return found;
    }

    private static void addMatches(List<Candidate> candidates, String modalias, Set<String> found) {
        if (candidates == null) return;
        for (Candidate candidate : candidates) {
            if (candidate.prefilter.admits(modalias) && Glob.matches(candidate.alias.pattern(), modalias)) {
                found.add(candidate.alias.module());
            }
        }
    }

    /** The key of the list a pattern belongs to: its bus, or {@link #WILDCARD_BUS}. */
    private static String bus(String pattern) {
        int colon = pattern.indexOf(':');
        String bus = colon < 0 ? pattern : pattern.substring(0, colon);
        for (int i = 0; i < bus.length(); i++) {
            char c = bus.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') return WILDCARD_BUS;
        }
        return bus;
    }
}
