package dev.uniwasm.cli.e2e.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.cli.Main;
import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.Examples;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names, arguments and environment reach the guest byte for byte whatever the host's locale,
 * and text that is not UTF-8 is one line naming it, exit 2 (README.md, "Names and text"). uniwasm
 * runs as a process of its own under {@code LC_ALL=C} (a JVM there decodes with ASCII), started
 * through {@code sh}, whose printf makes the odd bytes: a Java ProcessBuilder could pass only what
 * this JVM's own encoding can say. Also the sizes: a --dir larger than the CLI's heap is packed by
 * streaming, and one that cannot fit the format or guest memory is one line, exit 2.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HostInputTest {
    private static final Map<String, String> LANG_C = Map.of("LC_ALL", "C", "LANG", "C");

    @TempDir
    Path tmp;

    record Run(int status, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "status " + status + "\n--- stdout ---\n" + outText() + "--- stderr ---\n" + err;
        }
    }

    /**
     * An argument for {@link #uniwasm}: its bytes, of which all but plain ASCII go to printf as octal
     * escapes ({@code \0NNN}), so that the shell's command line stays ASCII.
     */
    static String word(byte[] bytes) {
        StringBuilder f = new StringBuilder();
        for (byte b : bytes) {
            int v = b & 0xff;
            if ((v >= 'a' && v <= 'z')
                    || (v >= 'A' && v <= 'Z')
                    || (v >= '0' && v <= '9')
                    || "._/=:-,+".indexOf(v) >= 0) {
                f.append((char) v);
            } else {
                f.append(String.format("\\0%03o", v));
            }
        }
        // %b: the escapes are in the argument, so a word starting with '-' is no printf option
        return "\"$(printf '%b' '" + f + "')\"";
    }

    static String word(String text) {
        return word(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code uniwasm ARGS} in a JVM of its own under {@code env}, with at most {@code maxHeap} of heap. */
    static Run uniwasm(Map<String, String> env, String maxHeap, List<String> words) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvm = List.of(
                java,
                "-Xmx" + maxHeap,
                "-Xss16m",
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-Duniwasm.home=" + Examples.home(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName());
        StringBuilder script = new StringBuilder("exec");
        for (String w : jvm) script.append(' ').append(word(w));
        for (String w : words) script.append(' ').append(w);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        byte[] out = readAll(p.getInputStream());
        assertTrue(p.waitFor(8, TimeUnit.MINUTES), "uniwasm did not end");
        return new Run(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static List<String> words(Object... parts) {
        List<String> out = new ArrayList<>();
        for (Object o : parts) out.add(o instanceof byte[] b ? word(b) : word(o.toString()));
        return out;
    }

    /** A tree with é.txt, ü.txt and a link to "café", made with the names' UTF-8 bytes. */
    private Path accentedTree() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("accents"));
        Process p = new ProcessBuilder(
                        "sh",
                        "-c",
                        "cd \"$1\" && printf 1 > " + word("é.txt") + " && printf 22 > " + word("ü.txt") + " && ln -s "
                                + word("café") + " l",
                        "sh",
                        dir.toString())
                .start();
        assertEquals(0, p.waitFor());
        return dir;
    }

    private static final String ACCENTED_LISTING =
            "l link café\n" + "é.txt file 1 31 31\n" + "ü.txt file 2 3232 3232\n";

    @Test
    void namesArgumentsAndEnvironmentArriveByteForByteUnderLangC() throws Exception {
        Path tree = accentedTree();
        Run list = uniwasm(LANG_C, "256m", words("run", "--dir", tree + "::/d", Examples.wasm("list_dir"), "--", "/d"));
        assertEquals(0, list.status(), list.toString());
        assertEquals(ACCENTED_LISTING, list.outText(), list.toString());

        Run hello = uniwasm(LANG_C, "256m", words("run", "--env", "K=é", Examples.wasm("hello"), "--", "café", "ü ü"));
        assertEquals(0, hello.status(), hello.toString());
        assertTrue(hello.outText().contains("arg[1]=café\narg[2]=ü ü\nenv K=é\n"), hello.toString());
    }

    @Test
    void buildBakesNamesArgumentsAndEnvironmentByteForByteUnderLangC() throws Exception {
        Path tree = accentedTree();
        Path listImage = tmp.resolve("list.img"), helloImage = tmp.resolve("hello.img");
        Run built = uniwasm(
                LANG_C,
                "1g",
                words("build", Examples.wasm("list_dir"), "-o", listImage, "--dir", tree + "::/d", "--", "/d"));
        assertEquals(0, built.status(), built.toString());
        Cli.Result list = Cli.run("run", listImage.toString());
        assertEquals(0, list.status(), list.toString());
        assertEquals(ACCENTED_LISTING, list.out(), list.toString());

        built = uniwasm(
                LANG_C, "1g", words("build", Examples.wasm("hello"), "-o", helloImage, "--env", "K=é", "--", "café"));
        assertEquals(0, built.status(), built.toString());
        Cli.Result hello = Cli.run("run", helloImage.toString());
        assertEquals(0, hello.status(), hello.toString());
        assertTrue(hello.out().contains("arg[1]=café\nenv K=é\n"), hello.toString());
    }

    private static void assertOneLineUsageError(Run r, String mustMention) {
        assertEquals(Main.USAGE, r.status(), r.toString());
        assertEquals(0, r.out().length, r.toString());
        assertTrue(r.err().startsWith("uniwasm: "), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
        assertTrue(r.err().contains(mustMention), "should mention " + mustMention + ": " + r);
    }

    @Test
    void textThatIsNotUtf8IsOneLineNamingItsBytes() throws Exception {
        Path hello = Examples.wasm("hello");
        byte[] odd = {'c', 'a', 'f', (byte) 0xe9};
        assertOneLineUsageError(
                uniwasm(Map.of(), "256m", words("run", hello, "--", "ok", odd)),
                "argument 5 (\"caf\\xe9\") is not valid UTF-8");
        assertOneLineUsageError(
                uniwasm(Map.of(), "256m", words("run", "--env", "K=x", hello, "--env", odd)),
                "argument 6 (\"caf\\xe9\") is not valid UTF-8");

        Path dir = Files.createDirectories(tmp.resolve("odd"));
        Process p = new ProcessBuilder(
                        "sh",
                        "-c",
                        "cd \"$1\" && touch " + word(new byte[] {'x', (byte) 0xfe}) + " "
                                + word(new byte[] {'x', (byte) 0xff}),
                        "sh",
                        dir.toString())
                .start();
        assertEquals(0, p.waitFor());
        assertOneLineUsageError(
                uniwasm(LANG_C, "256m", words("run", "--dir", dir + "::/d", hello)),
                dir + "/x\\xfe: the file name is not valid UTF-8");
    }

    @Test
    void anInheritedVariableThatIsNotUtf8IsNamed() throws Exception {
        Path hello = Examples.wasm("hello");
        // the variable's value is made by the shell: ProcessBuilder's environment is this JVM's strings
        String java =
                word(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(
                "sh",
                "-c",
                "ODD=" + word(new byte[] {'c', 'a', 'f', (byte) 0xe9}) + " exec " + java
                        + " -Xss16m -Duniwasm.home=" + word(Examples.home().toString())
                        + " -cp " + word(System.getProperty("java.class.path")) + " " + Main.class.getName()
                        + " run --env ODD " + word(hello.toString()));
        pb.environment().putAll(LANG_C);
        Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(Main.USAGE, p.exitValue(), err);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("the host's ODD (\"caf\\xe9\") is not valid UTF-8"), err);
    }

    @Test
    void aDirectoryLargerThanTheHeapIsPackedByStreaming() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("big"));
        long size = 300L << 20; // sparse: costs no disk
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("f").toFile(), "rw")) {
            f.setLength(size);
            f.write("BEGIN".getBytes(StandardCharsets.US_ASCII));
            f.seek(size - 4);
            f.write("END!".getBytes(StandardCharsets.US_ASCII));
        }
        // a 64 MiB heap: the old packing held the file several times over and died of OutOfMemoryError
        Run r = uniwasm(
                Map.of(),
                "64m",
                words("run", "--memory", "512M", "--dir", dir + "::/d", Examples.wasm("list_dir"), "--", "/d"));
        assertEquals(0, r.status(), r.toString());
        assertEquals("f file " + size + " 424547494e000000 00000000454e4421\n", r.outText(), r.toString());
    }

    private Path sparseTree(String name, long size) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("f").toFile(), "rw")) {
            f.setLength(size);
        }
        return dir;
    }

    @Test
    void aDirectoryThatCannotFitIsOneLineBeforeAnyWork() throws Exception {
        String hello = Examples.wasm("hello").toString();
        Path medium = sparseTree("medium", 300L << 20);
        Cli.Result small = Cli.run("run", "--dir", medium + "::/d", hello);
        assertEquals(Main.USAGE, small.status(), small.toString());
        assertEquals(1, small.err().strip().lines().count(), small.toString());
        // monitor.MemoryNeed says how much the image, the packed folders and the kernel need
        assertTrue(
                small.err().startsWith("uniwasm: --memory 128M (the default) is too small: ")
                        && small.err().contains("the boot configuration (300.")
                        && small.err().matches("(?s).*; give --memory \\d+M or more\n"),
                small.toString());

        Path large = sparseTree("large", 7L << 29); // 3.5 GiB: more than microvm has below 4 GiB
        Cli.Result never = Cli.run("run", "--memory", "8G", "--dir", large + "::/d", hello);
        assertEquals(Main.USAGE, never.status(), never.toString());
        assertEquals(1, never.err().strip().lines().count(), never.toString());
        assertTrue(never.err().contains("does not fit below 4 GiB on microvm"), never.toString());
        Cli.Result q35 = Cli.run(
                "run",
                "--machine",
                "q35",
                "--memory",
                "3G",
                "--dir",
                medium + "::/d",
                "--dir",
                medium + "::/e",
                "--dir",
                medium + "::/f",
                "--dir",
                medium + "::/g",
                "--dir",
                medium + "::/h",
                "--dir",
                medium + "::/i",
                "--dir",
                medium + "::/j",
                hello);
        assertEquals(Main.USAGE, q35.status(), q35.toString());
        assertTrue(
                q35.err().contains("(on q35 more than 2.75 GiB leaves only 2 GiB below 4 GiB); give --memory 2"),
                q35.toString());

        // baked into an image, 1 GiB at most: the linker failed with a page of relocation errors
        Path bakeable = sparseTree("bakeable", 3L << 29);
        Cli.Result baked = Cli.run("build", hello, "-o", tmp.resolve("big.img").toString(), "--dir", bakeable + "::/d");
        assertEquals(Main.USAGE, baked.status(), baked.toString());
        assertEquals(1, baked.err().strip().lines().count(), baked.toString());
        assertTrue(baked.err().contains("more than the 1024 MiB an image can hold"), baked.toString());

        Path huge = sparseTree("huge", 9L << 29); // 4.5 GiB: more than the boot configuration's u32 size
        Cli.Result format = Cli.run("run", "--dir", huge + "::/d", hello);
        assertEquals(Main.USAGE, format.status(), format.toString());
        assertTrue(format.err().contains("its format can carry"), format.toString());
    }
}
