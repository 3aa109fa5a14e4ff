package liftoff.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Reads the version Maven stamped into liftoff-version.properties at build time. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        return new String[] {
            "liftoff " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
        };
    }

    /** liftoff's version, e.g. "0.1.0" ("unknown" outside a Maven build). */
    static String version() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/liftoff-version.properties")) {
            if (in != null) p.load(in);
        }
        return p.getProperty("version", "unknown");
    }
}
