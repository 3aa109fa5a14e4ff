package liftoff.init.probe;

import java.util.List;

/** A disk's partition table: PTTYPE ("gpt" or "dos"), PTUUID and the used entries. */
public record PartitionTable(String type, String uuid, List<Partition> partitions) {

    public PartitionTable {
        partitions = List.copyOf(partitions);
    }

    /** The entry the kernel numbers {@code number}, or null. */
    public Partition partition(int number) {
        for (Partition p : partitions) {
            if (p.number() == number) {
                return p;
            }
        }
        return null;
    }
}
