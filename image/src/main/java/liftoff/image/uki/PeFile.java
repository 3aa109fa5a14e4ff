package liftoff.image.uki;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** A PE/COFF image open for reading: its headers, and the bytes of its sections, read when asked for. */
public final class PeFile implements Closeable {
    private final Path path;
    private final FileChannel channel;
    private final PeHeaders headers;

    private PeFile(Path path, FileChannel channel, PeHeaders headers) {
        this.path = path;
        this.channel = channel;
        this.headers = headers;
    }

    /** Opens {@code path}; a file that is not a PE image fails with a {@link PeFormatException} naming it. */
    public static PeFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new PeFile(path, channel, PeHeaders.read(channel));
        } catch (PeFormatException e) {
            channel.close();
            throw new PeFormatException(path + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** True when {@code path} starts as a PE image does (an "MZ" header pointing at "PE\0\0"). */
    public static boolean isPe(Path path) throws IOException {
        try {
            open(path).close();
            return true;
        } catch (PeFormatException e) {
            return false;
        }
    }

    public Path path() {
        return path;
    }

    public PeHeaders headers() {
        return headers;
    }

    FileChannel channel() {
        return channel;
    }

    /** The section's content: its raw data up to VirtualSize (the rest is file-alignment padding). */
    public byte[] bytes(PeSection section) throws IOException {
        if (section.contentSize() > Integer.MAX_VALUE - 8) {
            throw new PeFormatException(path + ": section " + section.name() + " is too large to read into memory");
        }
        return Regions.read(channel, section.pointerToRawData(), (int) section.contentSize(), "section " + section.name()).array();
    }

    /** The named section's content as text (UTF-8), without trailing NULs; empty when there is no such section. */
    public Optional<String> text(String name) throws IOException {
        Optional<PeSection> section = headers.section(name);
        if (section.isEmpty()) return Optional.empty();
        String text = new String(bytes(section.get()), StandardCharsets.UTF_8);
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '\0') end--;
        return Optional.of(text.substring(0, end));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
