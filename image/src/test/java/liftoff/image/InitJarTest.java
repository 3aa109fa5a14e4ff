package liftoff.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init's jar carries the Bouncy Castle classes its Argon2 code reaches, and no more: proven by
 * unlocking an argon2id keyslot that cryptsetup wrote with the jar alone on a class path whose
 * parent is the JDK's platform loader (no bcprov jar anywhere).
 */
class InitJarTest {
    @TempDir
    Path dir;

    @Test
    void theJarAloneUnlocksAnArgon2Keyslot() throws Exception {
        Path jar = dir.resolve("init.jar");
        try (OutputStream out = Files.newOutputStream(jar)) {
            InitJar.write(out, 0);
        }
        long bcBytes = 0;
        int bcClasses = 0;
        try (JarFile j = new JarFile(jar.toFile())) {
            for (JarEntry e : j.stream().toList()) {
                if (e.getName().startsWith("org/bouncycastle/")) {
                    // The builder signs UKIs with bcpkix (CMS, PEM keys); none of it belongs in the init.
                    assertTrue(!e.getName().matches("org/bouncycastle/(cms|openssl|pkcs|cert|operator)/.*"), e.getName());
                    bcClasses++;
                    bcBytes += e.getCompressedSize();
                }
            }
            assertTrue(j.getEntry("org/bouncycastle/crypto/generators/Argon2BytesGenerator.class") != null);
        }
        System.out.println("init jar: " + Files.size(jar) + " bytes, Bouncy Castle: " + bcClasses + " classes, " + bcBytes + " bytes compressed");
        assertTrue(bcBytes < 1_000_000, "the closure should be a small part of the 8 MB library: " + bcBytes);

        byte[] volumeKey = new byte[64];
        volumeKey[5] = 42;
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(20 << 20);
        }
        Path keyFile = Files.write(dir.resolve("vk"), volumeKey);
        Process p = new ProcessBuilder("cryptsetup", "luksFormat", "--batch-mode", "--type", "luks2", "--pbkdf", "argon2id",
                "--pbkdf-memory", "256", "--pbkdf-force-iterations", "4", "--key-size", "512", "--volume-key-file",
                keyFile.toString(), "--key-file", "-", image.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write("pw".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> readerClass = loader.loadClass("liftoff.init.probe.DeviceReader");
            Class<?> headerClass = loader.loadClass("liftoff.init.luks.LuksHeader");
            try (AutoCloseable reader = (AutoCloseable) readerClass.getMethod("open", Path.class).invoke(null, image)) {
                Object header = headerClass.getMethod("read", readerClass).invoke(null, reader);
                Object key = loader.loadClass("liftoff.init.luks.VolumeKey").getMethod("unlock", headerClass, readerClass, byte[].class)
                        .invoke(null, header, reader, "pw".getBytes(StandardCharsets.UTF_8));
                assertArrayEquals(volumeKey, (byte[]) key);
            }
            assertEquals(loader, loader.loadClass("org.bouncycastle.crypto.params.Argon2Parameters").getClassLoader());
        }
    }
}
