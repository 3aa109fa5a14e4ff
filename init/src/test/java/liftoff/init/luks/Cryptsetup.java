package liftoff.init.luks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** LUKS images made by the real cryptsetup on plain files (no device-mapper needed), and header surgery for the hostile cases. */
final class Cryptsetup {
    private Cryptsetup() {}

    /** Formats a new sparse file of {@code mib} MiB with {@code volumeKey} as the volume key. */
    static Path format(Path dir, String name, int mib, String passphrase, byte[] volumeKey, String... options)
            throws IOException, InterruptedException {
        Path image = dir.resolve(name + ".img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength((long) mib << 20);
        }
        Path keyFile = dir.resolve(name + ".vk");
        Files.write(keyFile, volumeKey);
        List<String> command = new ArrayList<>(List.of("cryptsetup", "luksFormat", "--batch-mode", "--key-file", "-",
                "--volume-key-file", keyFile.toString(), "--key-size", Integer.toString(volumeKey.length * 8)));
        command.addAll(Arrays.asList(options));
        command.add(image.toString());
        run(passphrase, command);
        return image;
    }

    /**
     * A 32 MiB ext4 filesystem encrypted in place by {@code cryptsetup reencrypt --encrypt} (LUKS2,
     * its header in 32 MiB added in front of the data), then converted to LUKS1 when asked.
     */
    static Path encryptedExt4(Path dir, String name, String passphrase, boolean luks1, String... options)
            throws IOException, InterruptedException {
        Path image = dir.resolve(name + ".img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(32 << 20);
        }
        run("", List.of("mkfs.ext4", "-q", "-L", "inner", image.toString()));
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(64 << 20);
        }
        List<String> command = new ArrayList<>(List.of("cryptsetup", "reencrypt", "--encrypt", "--type", "luks2",
                "--reduce-device-size", "32M", "--batch-mode", "--key-file", "-"));
        command.addAll(Arrays.asList(options));
        command.add(image.toString());
        run(passphrase, command);
        if (luks1) run("", List.of("cryptsetup", "convert", "--type", "luks1", "--batch-mode", image.toString()));
        return image;
    }

    static String run(String input, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), () -> String.join(" ", command) + ":\n" + out);
        return out;
    }

    /** The primary LUKS2 header's JSON text, without its NUL padding. */
    static String json(Path image) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            f.seek(8);
            int size = (int) f.readLong();
            byte[] area = new byte[size - 4096];
            f.seek(4096);
            f.readFully(area);
            int end = 0;
            while (end < area.length && area[end] != 0) end++;
            return new String(area, 0, end, StandardCharsets.UTF_8);
        }
    }

    /** Writes {@code json} into the primary LUKS2 header with a correct checksum and destroys the secondary copy. */
    static void rewriteJson(Path image, String json) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(8);
            int size = (int) f.readLong();
            byte[] header = new byte[size];
            f.seek(0);
            f.readFully(header);
            byte[] text = json.getBytes(StandardCharsets.UTF_8);
            Arrays.fill(header, 4096, size, (byte) 0);
            System.arraycopy(text, 0, header, 4096, Math.min(text.length, size - 4096));
            Arrays.fill(header, 448, 448 + 64, (byte) 0);
            System.arraycopy(sha256(header), 0, header, 448, 32);
            f.seek(0);
            f.write(header);
            f.seek(size);
            f.write(new byte[4096]);
        }
    }

    /** Overwrites bytes at {@code offset}. */
    static void poke(Path image, long offset, byte... bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes);
        }
    }

    static long primaryHeaderSize(Path image) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            f.seek(8);
            return f.readLong();
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
