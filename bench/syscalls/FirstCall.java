import liftoff.sys.Fs;
import liftoff.sys.Mounts;
import liftoff.sys.Preload;
import liftoff.sys.SyscallException;

/**
 * What the first call of a syscall wrapper costs (linking its downcall handle) against the calls
 * after it, and what loading the whole layer up front costs (Preload.syscalls, as a root switch
 * does). Run: bench/syscalls/run.sh
 */
public class FirstCall {
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Fs.statfs("/");
        long t1 = System.nanoTime();
        Fs.statfs("/");
        long t2 = System.nanoTime();
        int n = 10_000;
        for (int i = 0; i < n; i++) Fs.statfs("/");
        long t3 = System.nanoTime();
        try {
            Mounts.umount("/liftoff-bench-not-mounted", 0);
        } catch (SyscallException expected) {
            // the first failure also links strerrorname_np and strerror for the message
        }
        long t4 = System.nanoTime();
        Preload.syscalls();
        long t5 = System.nanoTime();
        System.out.printf("first statfs (link + call):       %8.2f ms%n", (t1 - t0) / 1e6);
        System.out.printf("second statfs:                    %8.3f ms%n", (t2 - t1) / 1e6);
        System.out.printf("statfs, mean of %d more:       %8.4f ms%n", n, (t3 - t2) / 1e6 / n);
        System.out.printf("first failing umount2 (+ errno names): %5.2f ms%n", (t4 - t3) / 1e6);
        System.out.printf("Preload.syscalls (load the rest): %8.2f ms%n", (t5 - t4) / 1e6);
    }
}
