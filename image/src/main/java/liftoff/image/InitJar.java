package liftoff.image;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The init's jar: the classes of the init and syscall modules (java.base is all they need) and the
 * few Bouncy Castle classes the LUKS2 Argon2 code reaches (loaded only when it runs), in one jar with a fixed order and fixed times, so the same sources give the same bytes. The classes are
 * taken from wherever this JVM loaded them: the CLI's lib/ jars, or a module's classes directory
 * when run from a build.
 */
public final class InitJar {
    static final String MAIN_CLASS = "liftoff.init.Main";
    private static final String SYS_ANCHOR = "liftoff.sys.Fs";
    private static final String BOUNCY_CASTLE = "org/bouncycastle/";

    private InitJar() {}

    /** Writes the jar to {@code out}, every entry dated {@code epochSeconds} (UTC). */
    public static void write(OutputStream out, long epochSeconds) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        for (String anchor : new String[] {MAIN_CLASS, SYS_ANCHOR}) collect(codeSource(anchor), entries);
        // Argon2 for LUKS2 keyslots: just the Bouncy Castle classes the init can reach (README, "LUKS").
        ClassClosure.addReachable(entries, BOUNCY_CASTLE, InitJar.class.getClassLoader());

        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, MAIN_CLASS);
        main.put(new Attributes.Name("Enable-Native-Access"), "ALL-UNNAMED");
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
        try (JarOutputStream jar = new JarOutputStream(out)) {
            JarEntry m = new JarEntry(JarFile.MANIFEST_NAME);
            m.setTimeLocal(time);
            jar.putNextEntry(m);
            manifest.write(jar);
            jar.closeEntry();
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                JarEntry entry = new JarEntry(e.getKey());
                entry.setTimeLocal(time);
                jar.putNextEntry(entry);
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
    }

    private static Path codeSource(String className) throws IOException {
        try {
            Class<?> c = Class.forName(className, false, InitJar.class.getClassLoader());
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException | NullPointerException e) {
            throw new IOException("cannot find the classes of " + className + " to put in the init's jar", e);
        }
    }

    /** The .class files of a jar or a classes directory; its manifest and Maven metadata are left out. */
    private static void collect(Path source, Map<String, byte[]> into) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    String name = source.relativize(f).toString().replace('\\', '/');
                    if (name.endsWith(".class")) into.put(name, Files.readAllBytes(f));
                }
            }
            return;
        }
        try (JarFile jar = new JarFile(source.toFile())) {
            for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                JarEntry e = en.nextElement();
                if (!e.isDirectory() && e.getName().endsWith(".class")) {
                    into.put(e.getName(), jar.getInputStream(e).readAllBytes());
                }
            }
        }
    }
}
