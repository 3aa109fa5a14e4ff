package liftoff.cli;

import static liftoff.cli.CliProcess.command;
import static liftoff.cli.CliProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cpio verbs as a user runs them: in a JVM of their own, on the real stdout and stderr. */
class CpioCommandTest {
    @TempDir
    Path tmp;

    @Test
    void createListExtract() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/etc"));
        Files.writeString(src.resolve("motd"), "hello\n");
        Path image = tmp.resolve("image");
        assertEquals(0, run("cpio", "create", "-o", image.toString(), "--compress", "zstd:5", "--owner", "0:0",
                tmp.resolve("src").toString()).status());
        CliProcess.Result list = run("cpio", "list", image.toString());
        assertEquals("etc\netc/motd\n", list.out());
        CliProcess.Result segments = run("cpio", "list", "--segments", image.toString());
        assertTrue(segments.out().lines().skip(1).findFirst().orElseThrow().matches("0 +0 zstd +\\d+ +\\d+ +2"), segments.out());
        CliProcess.Result longList = run("cpio", "list", "--long", image.toString());
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
            CliProcess.Result r = verb.equals("list") ? run("cpio", "list", image.toString())
                    : run("cpio", "extract", "-C", tmp.resolve("d").toString(), image.toString());
            assertEquals(1, r.status());
            assertEquals("liftoff cpio: " + image + ": offset 0, entry \"x\": file size 4096 runs past end of input\n", r.err());
        }
        CliProcess.Result missing = run("cpio", "list", tmp.resolve("nope").toString());
        assertEquals(1, missing.status());
        assertEquals("liftoff cpio: " + tmp.resolve("nope") + ": No such file or directory\n", missing.err());
        CliProcess.Result badLevel = run("cpio", "create", "--compress", "zstd:99", a.toString());
        assertEquals(1, badLevel.status());
        assertEquals("liftoff cpio: --compress: zstd level must be 1..19, not 99\n", badLevel.err());
    }

    /** System.out swallows write errors: a full disk must not look like a complete image or listing. */
    @Test
    void aFullStdoutIsAnError() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Files.writeString(a.resolve("x"), "x");
        Path image = tmp.resolve("image");
        assertEquals(0, run("cpio", "create", "-o", image.toString(), a.toString()).status());
        for (String[] args : new String[][] {{"cpio", "create", a.toString()}, {"cpio", "list", image.toString()},
                {"cpio", "list", "--segments", image.toString()}}) {
            CliProcess.Result r = run(new ProcessBuilder(command(args)).redirectOutput(new File("/dev/full")));
            assertEquals(new CliProcess.Result(1, "", "liftoff cpio: stdout: No space left on device\n"), r, String.join(" ", args));
        }
    }

    /** `liftoff cpio list IMAGE | head`: the reader has what it wanted; the status says so, as SIGPIPE's would, without a word. */
    @Test
    void aClosedPipeEndsTheListingQuietly() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Files.writeString(a.resolve("x"), "x");
        Path image = tmp.resolve("image");
        assertEquals(0, run("cpio", "create", "-o", image.toString(), a.toString()).status());
        Process p = new ProcessBuilder(command("cpio", "list", image.toString()))
                .redirectInput(new File("/dev/null")).start();
        p.getInputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(141, p.waitFor(), err);
        assertEquals("", err);
    }

    /** The kernel skips NULs between segments, but a file holding no archive at all is not an image. */
    @Test
    void anInputWithoutAnArchiveIsAnError() throws Exception {
        Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
        Path zeros = Files.write(tmp.resolve("zeros"), new byte[4096]);
        for (String verb : new String[] {"list", "extract"}) {
            String[] dest = verb.equals("extract") ? new String[] {"-C", tmp.resolve("d").toString()} : new String[0];
            assertEquals(new CliProcess.Result(1, "", "liftoff cpio: " + empty + ": no cpio archive in it (empty)\n"),
                    run(concat(new String[] {"cpio", verb}, dest, new String[] {empty.toString()})), verb);
            assertEquals(new CliProcess.Result(1, "", "liftoff cpio: " + zeros + ": no cpio archive in it (only 4096 zero bytes)\n"),
                    run(concat(new String[] {"cpio", verb}, dest, new String[] {zeros.toString()})), verb);
            CliProcess.Result stdin = run(new ProcessBuilder(command(
                    concat(new String[] {"cpio", verb}, dest, new String[] {"-"}))).redirectInput(empty.toFile()));
            assertEquals(new CliProcess.Result(1, "", "liftoff cpio: stdin: no cpio archive in it (empty)\n"), stdin, verb);
        }
    }

    /** A -C that cannot be a directory is named as -C, not blamed on the image. */
    @Test
    void aBadExtractDirectoryIsNamed() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Files.writeString(a.resolve("x"), "x");
        Path image = tmp.resolve("image");
        assertEquals(0, run("cpio", "create", "-o", image.toString(), a.toString()).status());
        Path file = Files.writeString(tmp.resolve("file"), "not a directory");
        assertEquals(new CliProcess.Result(1, "", "liftoff cpio: -C " + file + ": Not a directory\n"),
                run("cpio", "extract", "-C", file.toString(), image.toString()));
        assertEquals(new CliProcess.Result(1, "", "liftoff cpio: -C " + file.resolve("sub") + ": Not a directory\n"),
                run("cpio", "extract", "-C", file.resolve("sub").toString(), image.toString()));
        assertEquals(new CliProcess.Result(1, "", "liftoff cpio: -C /proc/nope: No such file or directory\n"),
                run("cpio", "extract", "-C", "/proc/nope", image.toString()));
    }

    /** An output that cannot be written is named as given to -o: never its temporary file, never the input. */
    @Test
    void aBadOutputIsNamed() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Files.writeString(a.resolve("x"), "x");
        Path file = Files.writeString(tmp.resolve("file"), "not a directory");
        for (String output : new String[] {"/proc/nope/x", tmp.toString(), file.resolve("x").toString()}) {
            String reason = output.equals(tmp.toString()) ? "Is a directory"
                    : output.startsWith("/proc") ? "No such file or directory" : "Not a directory";
            assertEquals(new CliProcess.Result(1, "", "liftoff cpio: " + output + ": " + reason + "\n"),
                    run("cpio", "create", "-o", output, a.toString()), output);
        }
        assertEquals(new CliProcess.Result(1, "", "liftoff cpio: " + tmp.resolve("nope") + ": No such file or directory\n"),
                run("cpio", "create", "--append", "-o", tmp.resolve("nope").toString(), a.toString()));
    }

    /** A DIR or a spec's LOCATION that is not there is named where the user wrote it, not blamed on the output. */
    @Test
    void aMissingSourceIsNamed() throws Exception {
        Path image = tmp.resolve("image");
        Path missing = tmp.resolve("missing");
        Path spec = Files.writeString(tmp.resolve("spec"), "dir /etc 0755 0 0\nfile /etc/motd " + missing + " 0644 0 0\n");
        assertEquals(new CliProcess.Result(1, "", "liftoff cpio: " + spec + ":2: " + missing + ": No such file or directory\n"),
                run("cpio", "create", "--spec", spec.toString(), "-o", image.toString()));
        assertEquals(new CliProcess.Result(1, "", "liftoff cpio: " + missing + ": No such file or directory\n"),
                run("cpio", "create", "-o", image.toString(), missing.toString()));
        assertEquals(new CliProcess.Result(1, "", "liftoff cpio: " + spec + ": Not a directory\n"),
                run("cpio", "create", "-o", image.toString(), spec.toString()));
        assertFalse(Files.exists(image));
    }

    private static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }
}
