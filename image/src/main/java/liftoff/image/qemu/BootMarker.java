package liftoff.image.qemu;

import java.util.regex.Pattern;

/**
 * The steps of a boot, in order, and how each shows up in the kernel log.
 *
 * <p>liftoff's init writes its own steps to /dev/kmsg as {@code "liftoff: <event> <detail>"}, so they
 * carry the kernel's µs timestamp and land on the console between the kernel's lines. Each marker
 * is recognised by its stable leading words; what follows them is the step's detail. The real root's
 * init announces itself with {@code "REAL-ROOT uptime=<s> pid=<n> root=<dev>"}, also through /dev/kmsg.
 * These strings are an interface: the init, the demo root and the tests all depend on them.
 */
public enum BootMarker {
    /** The kernel's first line, at 0.000000; detail: the kernel version. */
    KERNEL_START("kernel start", "Linux version (\\S+)"),
    /** The kernel hands over to the initramfs; detail: the program, /init unless rdinit= says otherwise. */
    RUN_INIT("Run /init", "Run (\\S+) as init process"),
    /** liftoff's init entered main(): the JVM's start-up is over. Derived from {@link #INIT_STARTED}'s detail. */
    JVM_MAIN("JVM main", null),
    /** liftoff mounted /proc, /sys, /dev, /run: its first system calls. Derived from {@link #INIT_STARTED}'s detail. */
    API_MOUNTED("API filesystems", null),
    /**
     * liftoff's init is running with /dev/kmsg open; detail: "(JVM main -0.081234 s, API filesystems
     * -0.002100 s, AOT cache used)", the two earlier steps as seconds before this line.
     */
    INIT_STARTED("init started", "liftoff: started\\b(.*)"),
    /**
     * liftoff loaded the modules no device asks for and started coldplug's drivers; drivers of
     * devices found later (uevents) load after it.
     */
    MODULES_LOADED("modules loaded", "liftoff: modules loaded\\b(.*)"),
    /** liftoff found the block device root= names; detail: the device. */
    ROOT_FOUND("root device found", "liftoff: root device found\\b(.*)"),
    /** liftoff mounted it; detail: e.g. "/dev/vda on /newroot (ext4, ro)". */
    ROOT_MOUNTED("root mounted", "liftoff: root mounted\\b(.*)"),
    /** liftoff is about to switch root and exec the real init; detail: its path. */
    EXEC_INIT("exec init", "liftoff: exec\\b(.*)"),
    /** The real root's init runs; detail: "uptime=... pid=... root=...". */
    REAL_INIT("real init", "REAL-ROOT (uptime=.*)");

    private final String label;
    private final Pattern pattern;

    BootMarker(String label, String regex) {
        this.label = label;
        this.pattern = regex == null ? null : Pattern.compile(regex);
    }

    /** The step's name in the timeline table. */
    public String label() {
        return label;
    }

    /** The detail when this marker starts the kernel log message {@code text}, else null. */
    String detailIn(String text) {
        if (pattern == null) return null;   // a derived step has no line of its own
        var matcher = pattern.matcher(text);
        return matcher.lookingAt() ? matcher.group(1).strip() : null;
    }
}
