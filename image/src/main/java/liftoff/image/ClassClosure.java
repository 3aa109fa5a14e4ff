package liftoff.image;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The library classes a set of classes can reach: every class named in a constant pool (the
 * classes a class can load), followed transitively, limited to the packages given. This is how
 * the init's jar gets the few Bouncy Castle classes its Argon2 code needs instead of the whole
 * 8 MB library; the closure over-approximates (every referenced class, used or not), which is safe.
 */
final class ClassClosure {
    private ClassClosure() {}

    /**
     * Adds to {@code classes} (entry name → bytes) every class under {@code packagePrefix}
     * ("org/bouncycastle/") they reach, read through {@code loader}.
     */
    static void addReachable(Map<String, byte[]> classes, String packagePrefix, ClassLoader loader) throws IOException {
        Deque<byte[]> pending = new ArrayDeque<>(classes.values());
        Map<String, byte[]> added = new TreeMap<>();
        while (!pending.isEmpty()) {
            ClassModel model = ClassFile.of().parse(pending.pop());
            for (PoolEntry entry : model.constantPool()) {
                if (!(entry instanceof ClassEntry c)) continue;
                String name = c.asInternalName();
                while (name.startsWith("[")) name = name.substring(1);   // array types name their element
                if (name.startsWith("L") && name.endsWith(";")) name = name.substring(1, name.length() - 1);
                String file = name + ".class";
                if (!name.startsWith(packagePrefix) || classes.containsKey(file) || added.containsKey(file)) continue;
                try (InputStream in = loader.getResourceAsStream(file)) {
                    if (in == null) throw new IOException("the init's code refers to " + name + ", which is not on the class path");
                    byte[] bytes = in.readAllBytes();
                    added.put(file, bytes);
                    pending.push(bytes);
                }
            }
        }
        classes.putAll(added);
    }
}
