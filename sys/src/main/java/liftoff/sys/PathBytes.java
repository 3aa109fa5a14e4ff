package liftoff.sys;

/** Paths as raw bytes, the way getdents64 gives names: Linux file names need not be UTF-8. */
public final class PathBytes {
    private PathBytes() {}

    /** {@code parent/name}; just {@code name} when {@code parent} is empty (the walk's start). */
    public static byte[] join(byte[] parent, byte[] name) {
        if (parent.length == 0) return name;
        byte[] out = new byte[parent.length + 1 + name.length];
        System.arraycopy(parent, 0, out, 0, parent.length);
        out[parent.length] = '/';
        System.arraycopy(name, 0, out, parent.length + 1, name.length);
        return out;
    }
}
