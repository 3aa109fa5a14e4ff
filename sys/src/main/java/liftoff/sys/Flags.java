package liftoff.sys;

/**
 * A flags argument that prints symbolically in error messages, e.g. {@code MS_MOVE|MS_REC}.
 * Bits without a name print in hex, so nothing is hidden.
 */
record Flags(long value, long[] bits, String[] names) {

    @Override
    public String toString() {
        if (value == 0) return "0";
        StringBuilder out = new StringBuilder();
        long rest = value;
        for (int i = 0; i < bits.length; i++) {
            if ((rest & bits[i]) == bits[i] && bits[i] != 0) {
                if (!out.isEmpty()) out.append('|');
                out.append(names[i]);
                rest &= ~bits[i];
            }
        }
        if (rest != 0) {
            if (!out.isEmpty()) out.append('|');
            out.append("0x").append(Long.toHexString(rest));
        }
        return out.toString();
    }
}
