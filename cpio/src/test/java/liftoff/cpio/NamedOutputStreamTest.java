package liftoff.cpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NamedOutputStreamTest {
    /** /dev/full fails every write with ENOSPC, as a full disk does; the error names the image, not just the errno. */
    @Test
    void aFullDiskSaysWhichFileDidNotFit() {
        Path image = Path.of("/boot/initrd.img-liftoff");
        FileSystemException e = assertThrows(FileSystemException.class, () -> {
            try (OutputStream out = new NamedOutputStream(Files.newOutputStream(Path.of("/dev/full")), image, true)) {
                out.write(new byte[8192], 0, 8192);
            }
        });
        assertEquals(image.toString(), e.getFile());
        assertEquals("No space left on device", e.getReason());
    }
}
