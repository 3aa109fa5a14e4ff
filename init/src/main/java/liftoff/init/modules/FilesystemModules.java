package liftoff.init.modules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import liftoff.init.Log;

/**
 * The kernel asks modprobe for "fs-TYPE" when a mount names a filesystem it does not know; an
 * initramfs without modprobe must do that itself before mounting. The builder ships the
 * filesystem modules with their modules.alias lines but does not load them at every boot.
 */
public final class FilesystemModules {
    private FilesystemModules() {}

    /**
     * Loads the module providing {@code type} (with its dependencies) unless the kernel has the type
     * already; for FAT also the character-set tables the mount will ask for ({@link #fatTables}).
     */
    public static void ensure(ModuleLoader modules, String type, String mountData, Log log) {
        if (type.equals("vfat") || type.equals("msdos")) {
            for (String table : fatTables(mountData)) modules.loadByName(table);
        }
        if (registered(type)) return;
        String module = modules.moduleFor("fs-" + type);
        String name = module == null ? type : module;
        List<String> loaded = modules.loadByName(name);
        if (!loaded.isEmpty()) {
            log.info("filesystem " + type + ": loaded module " + name
                    + (loaded.size() > 1 ? " and " + (loaded.size() - 1) + " dependencies" : ""));
        }
    }

    /**
     * The nls modules a FAT mount loads through request_module (which has no modprobe to call here):
     * the codepage (Debian's default 437) and, for vfat, the iocharset (Debian's default ascii), or
     * those that {@code codepage=} and {@code iocharset=} in the mount data name.
     */
    static List<String> fatTables(String mountData) {
        String codepage = "437";
        String iocharset = "ascii";
        for (String option : mountData == null ? new String[0] : mountData.split(",")) {
            if (option.startsWith("codepage=")) codepage = option.substring("codepage=".length());
            if (option.startsWith("iocharset=")) iocharset = option.substring("iocharset=".length());
        }
        return List.of("nls_cp" + codepage, "nls_" + iocharset.replace('-', '_'));
    }

    /** Whether /proc/filesystems lists {@code type} ("nodev\toverlay", "\text4"). */
    public static boolean registered(String type) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/filesystems"))) {
                if (line.substring(line.indexOf('\t') + 1).trim().equals(type)) return true;
            }
        } catch (IOException e) {
            // No /proc/filesystems: try the module; the mount says what is missing.
        }
        return false;
    }
}
