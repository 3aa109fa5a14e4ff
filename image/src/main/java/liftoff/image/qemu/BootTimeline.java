package liftoff.image.qemu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each {@link BootMarker} step happened, read from a console log of a kernel booted with
 * {@code printk.time=1}. Times are the kernel's own timestamps: seconds since the kernel started,
 * in virtual time when QEMU ran with icount. The first occurrence of each marker counts.
 */
public final class BootTimeline {

    /** One step that happened: microseconds since the kernel started, and the line's detail. */
    public record Step(BootMarker marker, long micros, String detail) {}

    /** A kernel log line on the console: "[    1.593786] message". Anywhere in the line, because
     *  a kernel line can land right behind output that a program left without a line end. */
    private static final Pattern KERNEL_LINE = Pattern.compile("\\[ *(\\d+)\\.(\\d{6})\\] ?(.*)");
    /** The real init's line as it prints it itself, without a kernel timestamp: the fallback when
     *  its /dev/kmsg copy is missing. /proc/uptime has 10 ms resolution. */
    private static final Pattern PLAIN_REAL_ROOT = Pattern.compile("REAL-ROOT uptime=(\\d+)\\.(\\d{2})\\b.*");

    /** In the "liftoff: started" detail: the steps before /dev/kmsg could be written, as seconds before it. */
    private static final Map<BootMarker, Pattern> BEFORE_STARTED = Map.of(
            BootMarker.JVM_MAIN, Pattern.compile("JVM main -(\\d+)\\.(\\d{6}) s"),
            BootMarker.API_MOUNTED, Pattern.compile("API filesystems -(\\d+)\\.(\\d{6}) s"));

    private final Map<BootMarker, Step> steps;

    private BootTimeline(Map<BootMarker, Step> steps) {
        this.steps = steps;
    }

    /** Parses a console log; line ends may be LF or the serial line's CR LF. */
    public static BootTimeline parse(String console) {
        Map<BootMarker, Step> steps = new EnumMap<>(BootMarker.class);
        Step plainRealRoot = null;
        for (String line : console.split("\\r?\\n")) {
            Matcher kernel = KERNEL_LINE.matcher(line);
            if (kernel.find()) {
                long micros = Long.parseLong(kernel.group(1)) * 1_000_000 + Long.parseLong(kernel.group(2));
                String text = kernel.group(3);
                for (BootMarker marker : BootMarker.values()) {
                    String detail = steps.containsKey(marker) ? null : marker.detailIn(text);
                    if (detail != null) steps.put(marker, new Step(marker, micros, detail));
                }
            } else if (plainRealRoot == null) {
                Matcher plain = PLAIN_REAL_ROOT.matcher(line);
                if (plain.lookingAt()) {
                    long micros = Long.parseLong(plain.group(1)) * 1_000_000 + Long.parseLong(plain.group(2)) * 10_000;
                    plainRealRoot = new Step(BootMarker.REAL_INIT, micros, line.substring("REAL-ROOT ".length()));
                }
            }
        }
        if (plainRealRoot != null) steps.putIfAbsent(BootMarker.REAL_INIT, plainRealRoot);
        Step started = steps.get(BootMarker.INIT_STARTED);
        if (started != null) {
            for (Map.Entry<BootMarker, Pattern> before : BEFORE_STARTED.entrySet()) {
                Matcher m = before.getValue().matcher(started.detail());
                if (m.find()) {
                    long micros = Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2));
                    steps.put(before.getKey(), new Step(before.getKey(), started.micros() - micros, ""));
                }
            }
        }
        return new BootTimeline(Collections.unmodifiableMap(steps));
    }

    public Optional<Step> step(BootMarker marker) {
        return Optional.ofNullable(steps.get(marker));
    }

    /** The steps that happened, in boot order. */
    public List<Step> steps() {
        return List.copyOf(steps.values());
    }

    /** Whether the boot got all the way: the real root's init ran. Anything less is a failed boot. */
    public boolean reachedRealInit() {
        return steps.containsKey(BootMarker.REAL_INIT);
    }

    /**
     * Every step as a row: name, seconds since kernel start, seconds since the previous step that
     * happened, detail. A step that did not happen shows "-".
     */
    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"step", "time s", "delta s", "detail"});
        Step previous = null;
        for (BootMarker marker : BootMarker.values()) {
            Step step = steps.get(marker);
            if (step == null) {
                rows.add(new String[] {marker.label(), "-", "-", ""});
                continue;
            }
            String delta = previous == null ? "" : signedSeconds(step.micros() - previous.micros());
            rows.add(new String[] {marker.label(), seconds(step.micros()), delta, step.detail()});
            previous = step;
        }
        int[] width = new int[3];
        for (String[] row : rows) {
            for (int i = 0; i < width.length; i++) width[i] = Math.max(width[i], row[i].length());
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            String line = String.format("%-" + width[0] + "s  %" + width[1] + "s  %" + width[2] + "s  %s",
                    (Object[]) row);
            table.append(line.stripTrailing()).append('\n');
        }
        return table.toString();
    }

    private static String seconds(long micros) {
        return String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    /** A step can log before the one listed above it (a marker written late), hence the sign. */
    private static String signedSeconds(long micros) {
        return (micros < 0 ? "-" : "+") + seconds(Math.abs(micros));
    }
}
