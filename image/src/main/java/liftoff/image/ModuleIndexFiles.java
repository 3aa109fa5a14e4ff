package liftoff.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import liftoff.init.modules.ModuleDatabase;

/**
 * The module indexes the init reads, for the shipped subset only, so that nothing in the image points
 * at a module that is not there:
 * <ul>
 *   <li>{@code liftoff.load}: one absolute module path per line in load order: the modules no device
 *       asks for (filesystems and the like), which the init loads at once, top to bottom (the filesystems,
 *       dm-verity and dm-crypt groups ship for loading on demand and are not in it);</li>
 *   <li>{@code modules.dep}, {@code modules.alias} and {@code modules.softdep}: depmod's format,
 *       filtered, for loading device drivers on demand by modalias (coldplug and uevents), and for
 *       kmod tools in a rescue shell;</li>
 *   <li>{@code modules.builtin}: copied, so "is it builtin?" has an answer.</li>
 * </ul>
 */
public final class ModuleIndexFiles {
    public static final String LOAD_LIST = "liftoff.load";

    private ModuleIndexFiles() {}

    /**
     * Writes the index files into {@code dir} (the image's /lib/modules/KVER); returns their names.
     *
     * @param pathInImage a module's path in the image from its path under the kernel's directory
     *                    (they differ for modules decompressed into the image)
     */
    public static List<String> write(KernelModules.Selection selection, Path dir, UnaryOperator<String> pathInImage)
            throws IOException {
        Files.createDirectories(dir);
        ModuleDatabase database = selection.database();
        Set<String> shipped = selection.names();
        String imageDir = "/lib/modules/" + selection.kernelVersion() + "/";
        List<String> load = new ArrayList<>();
        selection.eager().forEach(m -> load.add(imageDir + pathInImage.apply(m.path())));

        List<String> written = new ArrayList<>(List.of(LOAD_LIST, "modules.dep", "modules.alias", "modules.softdep"));
        writeLines(dir.resolve(LOAD_LIST), load);
        writeLines(dir.resolve("modules.dep"), database.depLines(shipped, pathInImage));
        writeLines(dir.resolve("modules.alias"), database.aliasLines(shipped, selection.onDemand()));
        writeLines(dir.resolve("modules.softdep"), database.softdepLines(shipped));
        Path builtin = database.kernelDir().resolve("modules.builtin");
        if (Files.exists(builtin)) {
            Files.copy(builtin, dir.resolve("modules.builtin"), StandardCopyOption.REPLACE_EXISTING);
            written.add("modules.builtin");
        }
        return written;
    }

    private static void writeLines(Path file, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        Files.writeString(file, text);
    }
}
