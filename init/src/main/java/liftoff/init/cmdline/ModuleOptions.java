package liftoff.init.cmdline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which kernel modules to load or not, and with which parameters. Module names are normalised to
 * underscores, as modprobe compares them.
 *
 * @param extra      liftoff.modules=a,b: modules to load besides those the hardware asks for; may repeat, the lists add up
 * @param blacklist  modprobe.blacklist=a,b: modules never to load; may repeat
 * @param parameters module options given as {@code module.option=value} (what modprobe reads from
 *                   /proc/cmdline for modules loaded after boot), by module name: "option=value option2"
 */
public record ModuleOptions(List<String> extra, List<String> blacklist, Map<String, String> parameters) {

    /** Reads liftoff.modules=, modprobe.blacklist= and every other dotted key as a module's parameter. */
    static final class Parser {
        private final List<String> extra = new ArrayList<>();
        private final List<String> blacklist = new ArrayList<>();
        private final Map<String, String> parameters = new HashMap<>();

        /**
         * Takes {@code key=value} if it is one of the lists; a key of the form module.option is
         * also kept as a parameter, whoever else reads it (the kernel would pass it to a module so named).
         */
        void take(String key, String value) {
            switch (key) {
                case "liftoff.modules" -> addModules(extra, value);
                case "modprobe.blacklist" -> addModules(blacklist, value);
                default -> addParameter(key, value);
            }
        }

        ModuleOptions finish() {
            return new ModuleOptions(List.copyOf(extra), List.copyOf(blacklist), Map.copyOf(parameters));
        }

        private static void addModules(List<String> into, String value) {
            for (String name : Cmdline.commaSeparated(value)) into.add(name.replace('-', '_'));
        }

        private void addParameter(String key, String value) {
            int dot = key.indexOf('.');
            if (dot <= 0 || dot == key.length() - 1) return;
            String module = key.substring(0, dot).replace('-', '_');
            if (module.equals("liftoff") || module.equals("modprobe")) return;
            String option = key.substring(dot + 1) + (value == null ? "" : "=" + quoteIfSpaced(value));
            String earlier = parameters.get(module);
            parameters.put(module, earlier == null ? option : earlier + " " + option);
        }

        private static String quoteIfSpaced(String value) {
            return value.indexOf(' ') >= 0 ? "\"" + value + "\"" : value;
        }
    }
}
