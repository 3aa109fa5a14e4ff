import java.nio.file.Files;
import java.nio.file.Path;
import liftoff.init.luks.LuksHeader;
import liftoff.init.luks.VolumeKey;
import liftoff.init.probe.DeviceReader;

/** Unlocks IMAGE with the key file's bytes by liftoff's code, as the init does; prints the time taken. */
public class Unlock {
    public static void main(String[] args) throws Exception {
        byte[] passphrase = Files.readAllBytes(Path.of(args[1]));
        long start = System.nanoTime();
        try (DeviceReader device = DeviceReader.open(Path.of(args[0]))) {
            byte[] key = VolumeKey.unlock(LuksHeader.read(device), device, passphrase);
            if (key == null) throw new IllegalStateException("no keyslot opened");
            VolumeKey.wipe(key);
        }
        System.out.printf("%.2f%n", (System.nanoTime() - start) / 1e9);
    }
}
