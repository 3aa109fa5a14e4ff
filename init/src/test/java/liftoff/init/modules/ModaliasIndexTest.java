package liftoff.init.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import liftoff.sys.Fnmatch;
import org.junit.jupiter.api.Test;

/** The index's lookups against a plain fnmatch of every alias, in file order. */
class ModaliasIndexTest {
    // Wildcard-bus patterns last, so that the index's order (its bus's patterns first) is file order.
    private static final List<String> PATTERNS = List.of(
            "pci:v00008086d00007010sv*sd*bc*sc*i*", "pci:v*d*sv*sd*bc01sc01i*", "pci:v*d*sv*sd*bc01sc06i01*",
            "pci:v00001AF4d*sv*sd*bc*sc*i*", "pci:v0000[89]086d*", "pci:v\\*d*", "pci:v?0008086*", "pci:*",
            "virtio:d00000002v*", "virtio:d00000008v*", "scsi:t-0x00*", "scsi:t-0x05*",
            "dmi*:svn*[Vv]irtual*", "fs-xfs", "devname:mapper/control", "pci:v00008086d00007010sv00001AF4sd00001100bc01sc01i80",
            "acpi*:PNP0A03:*", "*:PNP0A05:*", "[ap]ci:v*", "\\*", "block-major-8-*", "?ci:v00001AF4*");

    private static final List<String> MODALIASES = List.of(
            "pci:v00008086d00007010sv00001AF4sd00001100bc01sc01i80", "pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01",
            "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00", "pci:v*d00000000", "pci:v90008086", "pci:",
            "virtio:d00000002v00001AF4", "virtio:d00000008v00001AF4", "scsi:t-0x00", "scsi:t-0x05", "scsi:t-0x0",
            "dmi:bvnSeaBIOS:svnQEMU:pnStandardPC", "dmi:svnVMware:pnVMwareVirtualPlatform", "acpi:PNP0A03:",
            "acpi:ACPI0010:PNP0A05:", "fs-xfs", "devname:mapper/control", "*", "block-major-8-1", "no-bus-at-all", "");

    @Test
    void findsWhatGlobFindsOverEveryAliasInFileOrder() {
        List<ModuleDatabase.Alias> aliases = new ArrayList<>();
        for (int i = 0; i < PATTERNS.size(); i++) {
            aliases.add(new ModuleDatabase.Alias(PATTERNS.get(i), "m" + i, "alias " + PATTERNS.get(i) + " m" + i));
        }
        ModaliasIndex index = new ModaliasIndex(aliases);
        int found = 0;
        for (String modalias : MODALIASES) {
            Set<String> expected = new LinkedHashSet<>();
            for (ModuleDatabase.Alias alias : aliases) {
                if (Fnmatch.matches(alias.pattern(), modalias)) expected.add(alias.module());
            }
            assertEquals(List.copyOf(expected), List.copyOf(index.modulesFor(modalias)), modalias);
            found += expected.size();
        }
        assertTrue(found > 20, "the patterns and modaliases should keep exercising matches: " + found);
    }
}
