package liftoff.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The method-handle forms jlink pre-generates into java.base's holder classes
 * ({@code --generate-jli-classes=@file}): the JDK's own default list followed by the forms the
 * init needs ({@value #INIT_TRACE}). A form missing from the holders is spun into a hidden class
 * when first used, interpreted: the first system call spun some fifteen at every boot (23 ms of
 * the boot, measured). The AOT cache does not help there: in JDK 25 it keeps the holder classes
 * as jlink made them and, unlike a static CDS dump from a class list, does not regenerate them
 * from the training run.
 */
final class JliTrace {
    /** The init's forms, a resource beside this class; JliTraceTest names the lines it lacks. */
    static final String INIT_TRACE = "init-jli-trace.txt";

    /** Where jlink keeps the list it uses when given none (jdk.jlink's GenerateJLIClassesPlugin). */
    private static final String JDK_DEFAULT = "/modules/jdk.jlink/jdk/tools/jlink/internal/plugins/default_jli_trace.txt";

    private JliTrace() {}

    /**
     * The trace for jlink from {@code jdk}: its default list and the init's. Empty when that JDK's
     * default list cannot be read (none, or a JDK newer than the one running the builder, whose
     * jrt-fs.jar this JVM cannot load): jlink then keeps its own holders, and only the init's forms
     * are lost, which costs boot time, not correctness. A given file replaces the default list, so
     * the init's forms alone are never given.
     */
    static Optional<String> forJdk(Path jdk) throws IOException {
        Optional<String> defaults = jdkDefault(jdk);
        if (defaults.isEmpty()) return Optional.empty();
        String jdkList = defaults.get();
        return Optional.of(jdkList + (jdkList.endsWith("\n") ? "" : "\n") + initTrace());
    }

    /** The init's forms, as the resource holds them (comment lines are ignored by jlink). */
    static String initTrace() throws IOException {
        try (InputStream in = JliTrace.class.getResourceAsStream(INIT_TRACE)) {
            if (in == null) throw new IOException(INIT_TRACE + ": missing from the build's resources");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Optional<String> jdkDefault(Path jdk) {
        if (!Files.isRegularFile(jdk.resolve("lib/jrt-fs.jar"))) return Optional.empty();
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", jdk.toString()))) {
            Path list = jrt.getPath(JDK_DEFAULT);
            return Files.isRegularFile(list) ? Optional.of(Files.readString(list)) : Optional.empty();
        } catch (IOException | UncheckedIOException | LinkageError e) {
            return Optional.empty();
        }
    }
}
