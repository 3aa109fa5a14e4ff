package liftoff.init.modules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liftoff.sys.Fnmatch;

/**
 * The modules.alias patterns by their literal prefix (the text before the first wildcard, see
 * {@link GlobPrefilter}): a modalias can only match a pattern whose prefix it starts with, so a
 * lookup tries the modalias's own prefixes of the lengths that occur (a dozen or so) instead of
 * every pattern of its bus. Of the patterns found, those the prefilter admits reach
 * {@link Fnmatch#matches}. Under -Xint, a prefilter check per pattern of the bus cost 8 ms per PCI
 * device against the generic kernel's 986 PCI patterns (the SAS and RAID drivers list hundreds).
 */
final class ModaliasIndex {
    /** A pattern in a prefix's list; its prefilter is worked out when a modalias first reaches it. */
    private static final class Candidate {
        final int order;
        final ModuleDatabase.Alias alias;
        GlobPrefilter prefilter;

        Candidate(int order, ModuleDatabase.Alias alias) {
            this.order = order;
            this.alias = alias;
        }

        boolean matches(String modalias) {
            if (prefilter == null) prefilter = GlobPrefilter.of(alias.pattern());
            return prefilter.admits(modalias) && Fnmatch.matches(alias.pattern(), modalias);
        }
    }

    private final Map<String, List<Candidate>> byPrefix = new HashMap<>();
    private final int[] prefixLengths;   // the distinct lengths of byPrefix's keys, ascending

    ModaliasIndex(List<ModuleDatabase.Alias> aliases) {
        int count = aliases.size();
        boolean[] lengths = new boolean[1];
        for (int i = 0; i < count; i++) {
            ModuleDatabase.Alias alias = aliases.get(i);
            String prefix = GlobPrefilter.literalPrefix(alias.pattern());
            // A pattern whose bus part is a wildcard ("acpi*:PNP0A03:*") comes after the bus's own.
            int order = wildcardBus(alias.pattern(), prefix) ? count + i : i;
            List<Candidate> candidates = byPrefix.get(prefix);
            if (candidates == null) {   // not computeIfAbsent: a lambda's first call is slow to link under -Xint
                candidates = new ArrayList<>();
                byPrefix.put(prefix, candidates);
            }
            candidates.add(new Candidate(order, alias));
            int length = prefix.length();
            if (length >= lengths.length) lengths = Arrays.copyOf(lengths, length + 1);
            lengths[length] = true;
        }
        int distinct = 0;
        for (boolean used : lengths) if (used) distinct++;
        prefixLengths = new int[distinct];
        for (int length = 0, next = 0; length < lengths.length; length++) {
            if (lengths[length]) prefixLengths[next++] = length;
        }
    }

    /** The modules whose patterns match, the bus's own patterns first, each in file order. */
    Set<String> modulesFor(String modalias) {
        List<Candidate> matched = new ArrayList<>();
        for (int length : prefixLengths) {
            if (length > modalias.length()) break;
            List<Candidate> candidates = byPrefix.get(modalias.substring(0, length));
            if (candidates == null) continue;
            for (Candidate candidate : candidates) {
                if (candidate.matches(modalias)) insertInOrder(matched, candidate);
            }
        }
        Set<String> found = new LinkedHashSet<>();
        for (Candidate candidate : matched) found.add(candidate.alias.module());
        return found;
    }

    /** A handful of matches at most: an insertion keeps them sorted without a comparator to link. */
    private static void insertInOrder(List<Candidate> matched, Candidate candidate) {
        int at = matched.size();
        while (at > 0 && matched.get(at - 1).order > candidate.order) at--;
        matched.add(at, candidate);
    }

    /** Whether the pattern's bus part (before the first ':') holds a wildcard: its literal prefix ends inside it. */
    private static boolean wildcardBus(String pattern, String literalPrefix) {
        int colon = pattern.indexOf(':');
        return literalPrefix.length() < (colon < 0 ? pattern.length() : colon);
    }
}
