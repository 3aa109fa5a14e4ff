package liftoff.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reason of a failed file operation in strerror's words, from the kernel's real failures. */
class ErrnoTest {
    @TempDir
    Path tmp;

    @Test
    void nioExceptionsWithoutTheirTextGetTheirErrnosText() {
        Path missing = tmp.resolve("missing");
        assertEquals("No such file or directory", Errno.reason(assertThrows(IOException.class, () -> Files.size(missing))));
        assertEquals("File exists", Errno.reason(assertThrows(IOException.class, () -> Files.createDirectory(tmp))));
        Path file = tmp.resolve("file");
        assertEquals("Not a directory", Errno.reason(assertThrows(IOException.class, () -> {
            Files.writeString(file, "x");
            Files.newDirectoryStream(file).close();
        })));
    }

    @Test
    void otherFailuresKeepTheirTextNeverThePath() {
        assertEquals("Is a directory", Errno.reason(assertThrows(IOException.class, () -> Files.newOutputStream(tmp).close())));
        assertEquals("No space left on device", Errno.reason(assertThrows(IOException.class, () -> {
            try (FileOutputStream full = new FileOutputStream("/dev/full")) {
                full.write(1);
            }
        })));
        assertEquals("FileSystemException", Errno.reason(new FileSystemException(tmp.toString())));
    }
}
