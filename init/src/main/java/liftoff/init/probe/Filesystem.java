package liftoff.init.probe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a superblock says about itself: blkid's tags (LABEL, UUID, UUID_SUB, SEC_TYPE,
 * LABEL_FATBOOT, BLOCK_SIZE, TYPE) in the order blkid prints them for that format. A label that is
 * not UTF-8 keeps its bytes as {@link TagText} escapes.
 */
public record Filesystem(Map<String, String> tags) {

    public Filesystem {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** blkid's TYPE: "ext4", "xfs", "vfat", "crypto_LUKS", "swap"... */
    public String type() {
        return tags.get("TYPE");
    }

    /** The filesystem UUID as blkid prints it, or null when the format has none. */
    public String uuid() {
        return tags.get("UUID");
    }

    /** The volume label, or null when it is unset. */
    public String label() {
        return tags.get("LABEL");
    }

    /** Collects tags in blkid's order; absent (null) values are skipped, as blkid skips them. */
    static final class Builder {
        private final Map<String, String> tags = new LinkedHashMap<>();

        Builder add(String name, String value) {
            if (value != null) {
                tags.put(name, value);
            }
            return this;
        }

        Builder blockSize(long bytes) {
            return add("BLOCK_SIZE", Long.toString(bytes));
        }

        /** TYPE comes last for every format blkid prints. */
        Filesystem type(String type) {
            tags.put("TYPE", type);
            return new Filesystem(tags);
        }
    }
}
