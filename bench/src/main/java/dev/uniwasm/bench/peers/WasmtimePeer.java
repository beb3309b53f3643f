package dev.uniwasm.bench.peers;

import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.Linker;
import io.github.kawamuray.wasmtime.Module;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.WasmFunctions;
import io.github.kawamuray.wasmtime.wasi.WasiCtx;
import io.github.kawamuray.wasmtime.wasi.WasiCtxBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Runs a WASI command under wasmtime (Cranelift) through the wasmtime-java JNI binding. */
public final class WasmtimePeer {
    private WasmtimePeer() {}

    public static void main(String[] argv) {
        PeerCommandLine.exit("wasmtime-java", WasmtimePeer::run, argv);
    }

    static int run(PeerCommandLine cmd) throws Exception {
        long t0 = System.nanoTime();
        byte[] bytes = Files.readAllBytes(cmd.wasm());
        WasiCtxBuilder wasiBuilder =
                new WasiCtxBuilder().inheritStdout().inheritStderr().args(cmd.argvWithProgramName());
        for (Map.Entry<String, Path> d : cmd.dirs().entrySet()) wasiBuilder.preopenedDir(d.getValue(), d.getKey());
        WasiCtx wasi = wasiBuilder.build();
        try (Store<Void> store = Store.withoutData(wasi);
                Engine engine = store.engine();
                Module module = Module.fromBinary(engine, bytes);
                Linker linker = new Linker(engine)) {
            WasiCtx.addToLinker(linker);
            linker.module(store, "", module);
            Extern start = linker.get(store, "", "_start")
                    .orElseThrow(() -> new IllegalArgumentException(cmd.wasm() + " exports no _start"));
            Func startFunc = start.func();
            long t1 = System.nanoTime();
            // wasi-libc's _start returns on exit status 0 and calls proc_exit otherwise, which wasmtime reports as a
            // trap
            WasmFunctions.consumer(store, startFunc).accept();
            long t2 = System.nanoTime();
            PeerCommandLine.printTimings(t1 - t0, t2 - t1);
            return 0;
        }
    }
}
