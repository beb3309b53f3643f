package dev.uniwasm.bench.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Runs a WASI command under GraalWasm (Truffle). Whether Truffle compiles to native code depends on
 * the JVM: on a stock JDK without the Graal compiler it interprets, and says so on stderr.
 */
public final class GraalWasmPeer {
    private GraalWasmPeer() {}

    public static void main(String[] argv) {
        PeerCommandLine.exit("graalwasm", GraalWasmPeer::run, argv);
    }

    static int run(PeerCommandLine cmd) throws Exception {
        long t0 = System.nanoTime();
        byte[] bytes = Files.readAllBytes(cmd.wasm());
        String dirs = cmd.dirs().entrySet().stream()
                .map((Map.Entry<String, Path> d) -> d.getKey() + "::" + d.getValue())
                .collect(Collectors.joining(","));
        Context.Builder builder = Context.newBuilder("wasm")
                .option("wasm.Builtins", "wasi_snapshot_preview1")
                .arguments("wasm", cmd.argvWithProgramName().toArray(String[]::new))
                .allowIO(IOAccess.ALL)
                .out(System.out)
                .err(System.err)
                .in(System.in);
        if (!dirs.isEmpty()) builder.option("wasm.WasiMapDirs", dirs);
        try (Context context = builder.build()) {
            Source source = Source.newBuilder("wasm", ByteSequence.create(bytes), "main")
                    .build();
            // evaluating a module gives the module; instantiating it links the WASI builtins
            Value instance = context.eval(source).newInstance();
            Value start = instance.getMember("exports").getMember("_start");
            if (start == null) throw new IllegalArgumentException(cmd.wasm() + " exports no _start");
            long t1 = System.nanoTime();
            int status = 0;
            try {
                start.execute();
            } catch (PolyglotException e) {
                if (!e.isExit()) throw e;
                status = e.getExitStatus();
            }
            long t2 = System.nanoTime();
            PeerCommandLine.printTimings(t1 - t0, t2 - t1);
            return status;
        }
    }
}
