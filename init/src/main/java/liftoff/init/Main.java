package liftoff.init;

/**
 * The stage-1 init: /init in the initramfs, PID 1. With -Dliftoff.train=true it instead runs its
 * code paths without touching the machine, so that the image builder can record an AOT cache.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        long mainNanos = System.nanoTime();   // first: the boot timeline's "JVM main"
        if (Boolean.getBoolean("liftoff.train")) {
            Training.run();
            return;
        }
        new Boot(new Log(), mainNanos).run();   // never returns
    }
}
