package liftoff.init;

import java.io.IOException;
import liftoff.init.cmdline.RootOptions;
import liftoff.init.modules.ModuleLoader;
import liftoff.init.probe.BlockDevice;
import liftoff.init.probe.BlockDevices;
import liftoff.init.probe.Filesystem;
import liftoff.init.root.RootFinder;

/** "What was tried", for the rescue console: the root asked for, the disks seen, the modules. */
final class Report {
    private Report() {}

    static String of(RootOptions root, ModuleLoader.Result modules) {
        StringBuilder out = new StringBuilder();
        out.append("  ").append(root.rootWord());
        if (!root.fsTypes().isEmpty()) out.append(" rootfstype=").append(String.join(",", root.fsTypes()));
        out.append(root.readOnly() ? " ro" : " rw").append(", waited up to ");
        out.append(root.rootWait() ? "rootwait" : root.timeoutSeconds() + " s (liftoff.timeout)").append('\n');
        out.append("  modules: ").append(modules.loaded()).append(" loaded");
        if (!modules.failures().isEmpty()) out.append(", failed: ").append(String.join(", ", modules.failures()));
        out.append('\n').append("  block devices:");
        try {
            var devices = BlockDevices.system().list();
            if (devices.isEmpty()) out.append(" none (is the disk controller's module in the image?)");
            for (BlockDevice d : devices) {
                out.append("\n    ").append(d.node());
                Filesystem fs = RootFinder.probe(d);
                if (fs != null) out.append(' ').append(fs.tags());
            }
        } catch (IOException e) {
            out.append(" cannot list /sys/class/block: ").append(e.getMessage());
        }
        return out.toString();
    }
}
