package liftoff.init;

/** Why one try at the boot failed, in words for the console; the boot then opens the rescue shell. */
public final class BootFailure extends Exception {
    public BootFailure(String message) {
        super(message);
    }
}
