package liftoff.init.cmdline;

import java.util.List;

/**
 * How the root is checked before a writable mount, in systemd's words.
 *
 * @param mode   fsck.mode=auto|force|skip (default auto)
 * @param repair fsck.repair=preen|yes|no (default preen)
 */
public record FsckOptions(Mode mode, Repair repair) {

    /** fsck.mode=: check before a writable mount / also before a read-only one / never. */
    public enum Mode { AUTO, FORCE, SKIP }

    /** fsck.repair=: how the checker may answer its questions. */
    public enum Repair {
        PREEN("-p"), YES("-y"), NO("-n");

        /** The checker's option for it, the same for e2fsck and the other fsck.TYPE programs. */
        public final String flag;

        Repair(String flag) {
            this.flag = flag;
        }
    }

    /** Reads fsck.mode= and fsck.repair=; the last of each wins, a malformed one means the default. */
    static final class Parser {
        private final List<String> problems;
        private Mode mode = Mode.AUTO;
        private Repair repair = Repair.PREEN;

        Parser(List<String> problems) {
            this.problems = problems;
        }

        boolean take(String key, String value) {
            switch (key) {
                case "fsck.mode" -> mode = mode(value);
                case "fsck.repair" -> repair = repair(value);
                default -> {
                    return false;
                }
            }
            return true;
        }

        FsckOptions finish() {
            return new FsckOptions(mode, repair);
        }

        private Mode mode(String value) {
            if ("auto".equals(value)) return Mode.AUTO;
            if ("force".equals(value)) return Mode.FORCE;
            if ("skip".equals(value)) return Mode.SKIP;
            problems.add("fsck.mode=" + (value == null ? "" : value) + " is not auto, force or skip; using auto");
            return Mode.AUTO;
        }

        private Repair repair(String value) {
            if ("preen".equals(value)) return Repair.PREEN;
            if ("yes".equals(value)) return Repair.YES;
            if ("no".equals(value)) return Repair.NO;
            problems.add("fsck.repair=" + (value == null ? "" : value) + " is not preen, yes or no; using preen");
            return Repair.PREEN;
        }
    }
}
