package liftoff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The cpio verbs through the same command tree the launcher runs. */
class CpioCommandTest {
    @TempDir
    Path tmp;

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int status = cl.execute(args);
            System.out.flush();
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void createListExtract() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/etc"));
        Files.writeString(src.resolve("motd"), "hello\n");
        Path image = tmp.resolve("image");
        assertEquals(0, run("cpio", "create", "-o", image.toString(), "--compress", "zstd:5", "--owner", "0:0",
                tmp.resolve("src").toString()).status());
        Run list = run("cpio", "list", image.toString());
        assertEquals("etc\netc/motd\n", list.out());
        Run segments = run("cpio", "list", "--segments", image.toString());
        assertTrue(segments.out().lines().skip(1).findFirst().orElseThrow().matches("0 +0 zstd +\\d+ +\\d+ +2"), segments.out());
        Run longList = run("cpio", "list", "--long", image.toString());
        assertTrue(longList.out().lines().toList().get(1).matches("-rw-r--r-- +1 0 +0 +6 \\w{3} [ \\d]\\d .+ etc/motd"), longList.out());
        Path dest = tmp.resolve("dest");
        assertEquals(0, run("cpio", "extract", "-C", dest.toString(), image.toString(), "etc/m*").status());
        assertEquals("hello\n", Files.readString(dest.resolve("etc/motd")));
    }

    @Test
    void longListingIsCpioTvn() throws Exception {
        Path data = Files.writeString(tmp.resolve("data"), "abc");
        Path spec = Files.writeString(tmp.resolve("spec"), String.join("\n",
                "dir /dev 0755 0 0", "nod /dev/console 0600 0 0 c 5 1", "nod /dev/sda 0660 0 6 b 8 0",
                "file /init " + data + " 4755 0 0 /bin/sh", "pipe /p 0644 0 0", "slink /l /init 0777 0 0", ""));
        Path image = tmp.resolve("image");
        assertEquals(0, run("cpio", "create", "--spec", spec.toString(), "-o", image.toString()).status());
        Process cpio = new ProcessBuilder("cpio", "-tvn", "--quiet").redirectInput(image.toFile()).start();
        String expected = new String(cpio.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cpio.waitFor());
        assertEquals(expected, run("cpio", "list", "--long", image.toString()).out());
    }

    @Test
    void appendAddsASegment() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Files.writeString(a.resolve("one"), "1");
        Path image = tmp.resolve("image");
        assertEquals(0, run("cpio", "create", "-o", image.toString(), a.toString()).status());
        assertEquals(0, run("cpio", "create", "-o", image.toString(), "--append", "--compress", "gzip", a.toString()).status());
        String table = run("cpio", "list", "--segments", image.toString()).out();
        assertEquals(3, table.lines().count(), table);
        assertTrue(table.contains(" none ") && table.contains(" gzip "), table);
    }

    @Test
    void brokenInputIsOneLineAndExitOne() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Files.writeString(a.resolve("x"), "x".repeat(4096));
        Path image = tmp.resolve("image.cpio");
        run("cpio", "create", "-o", image.toString(), a.toString());
        Files.write(image, Arrays.copyOf(Files.readAllBytes(image), 1000));
        for (String verb : new String[] {"list", "extract"}) {
            Run r = verb.equals("list") ? run("cpio", "list", image.toString())
                    : run("cpio", "extract", "-C", tmp.resolve("d").toString(), image.toString());
            assertEquals(1, r.status());
            assertEquals("liftoff cpio: " + image + ": offset 0, entry \"x\": file size 4096 runs past end of input\n", r.err());
        }
        Run missing = run("cpio", "list", tmp.resolve("nope").toString());
        assertEquals(1, missing.status());
        assertEquals("liftoff cpio: " + tmp.resolve("nope") + ": no such file\n", missing.err());
        Run badLevel = run("cpio", "create", "--compress", "zstd:99", a.toString());
        assertEquals("liftoff cpio: stdout: zstd level must be 1..19, not 99\n", badLevel.err());
    }
}
