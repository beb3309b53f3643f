package dev.uniwasm.bench.peers;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.nio.file.Path;
import java.util.Map;

/** Runs a WASI command under Chicory with its compiler (Wasm to JVM bytecode at instantiation). */
public final class ChicoryPeer {
    private ChicoryPeer() {}

    public static void main(String[] argv) {
        PeerCommandLine.exit("chicory", ChicoryPeer::run, argv);
    }

    static int run(PeerCommandLine cmd) {
        long t0 = System.nanoTime();
        WasmModule module = Parser.parse(cmd.wasm());
        WasiOptions.Builder options = WasiOptions.builder()
                .withStdout(System.out)
                .withStderr(System.err)
                .withStdin(System.in)
                .withArguments(cmd.argvWithProgramName());
        for (Map.Entry<String, Path> d : cmd.dirs().entrySet()) options.withDirectory(d.getKey(), d.getValue());
        try (WasiPreview1 wasi =
                WasiPreview1.builder().withOptions(options.build()).build()) {
            Instance instance = Instance.builder(module)
                    .withMachineFactory(MachineFactoryCompiler.compile(module))
                    .withImportValues(ImportValues.builder()
                            .addFunction(wasi.toHostFunctions())
                            .build())
                    .withStart(false)
                    .build();
            long t1 = System.nanoTime();
            int status = 0;
            try {
                instance.export("_start").apply();
            } catch (WasiExitException e) {
                status = e.exitCode();
            }
            long t2 = System.nanoTime();
            PeerCommandLine.printTimings(t1 - t0, t2 - t1);
            return status;
        }
    }
}
