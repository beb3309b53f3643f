package dev.uniwasm.bench.compute;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.PeerJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Wasm runtime for the JVM, run in a child JVM by one of the launchers in
 * {@code dev.uniwasm.bench.peers} so that a crash is one failed run: wasmtime (JNI), Chicory
 * (compiler to bytecode), GraalWasm (Truffle; with JVMCI and the Graal compiler on the upgrade module
 * path, so that it compiles hot code to native code).
 */
final class JvmPeerRunner implements Runner {
    enum Peer {
        WASMTIME("wasmtime", "dev.uniwasm.bench.peers.WasmtimePeer", "io.github.kawamuray.wasmtime.wasmtime-java-"),
        CHICORY("chicory", "dev.uniwasm.bench.peers.ChicoryPeer", "com.dylibso.chicory.compiler-"),
        GRAALWASM("graalwasm", "dev.uniwasm.bench.peers.GraalWasmPeer", "org.graalvm.wasm.wasm-language-");

        final String label;
        final String mainClass;
        final String jarPrefix;

        Peer(String label, String mainClass, String jarPrefix) {
            this.label = label;
            this.mainClass = mainClass;
            this.jarPrefix = jarPrefix;
        }
    }

    private final Peer peer;

    JvmPeerRunner(Peer peer) {
        this.peer = peer;
    }

    @Override
    public String name() {
        return peer.label;
    }

    @Override
    public String unavailable(BenchContext ctx) {
        Path lib = PeerJars.libFolder(ctx.home());
        try (var files = Files.list(lib)) {
            if (files.noneMatch(f -> f.getFileName().toString().startsWith(peer.jarPrefix))) {
                return "no " + peer.jarPrefix + "*.jar in " + lib + " (build the bench module with mvn install)";
            }
        } catch (Exception e) {
            return lib + " is missing (build the bench module with mvn install)";
        }
        return null;
    }

    @Override
    public String timingSource() {
        String common =
                "the `_start` call timed inside the child JVM (parse, compile and instantiate reported apart; JVM start excluded)";
        if (peer != Peer.GRAALWASM) return common;
        // libgraal (the Graal compiler as a native library) comes with GraalVM only; on another JDK the compiler
        // is jargraal, Java code that itself warms up while it compiles the guest
        return common
                + "; Truffle compiles with jargraal (the Graal compiler jar through JVMCI, no libgraal on this JDK), "
                + "so the figure includes the compiler's own warm-up";
    }

    @Override
    public int runs(BenchContext ctx) {
        // GraalWasm's warm-up and Chicory's bytecode make one run cost several times native on two cores: fewer runs
        // keep a full run under the hour
        return switch (peer) {
            case GRAALWASM -> ctx.runs(3, 1);
            case CHICORY -> ctx.runs(3, 2);
            case WASMTIME -> Runner.super.runs(ctx);
        };
    }

    @Override
    public RunResult run(BenchContext ctx, Workload w, long timeoutSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "-Xss16m"));
        if (peer == Peer.GRAALWASM) {
            Path compiler = PeerJars.graalCompiler(ctx.home());
            if (compiler == null)
                throw new BenchException(
                        "graalwasm: the Graal compiler jar is missing from " + PeerJars.libFolder(ctx.home()));
            cmd.addAll(List.of(
                    "-XX:+UnlockExperimentalVMOptions",
                    "-XX:+EnableJVMCI",
                    "--upgrade-module-path=" + compiler,
                    "--module-path="
                            + PeerJars.graalModules(ctx.home()).stream()
                                    .map(Path::toString)
                                    .collect(Collectors.joining(":")),
                    "--add-modules=ALL-MODULE-PATH",
                    "--enable-native-access=ALL-UNNAMED,org.graalvm.truffle",
                    // a runtime that cannot compile must not pass as one that does: the warning is an error here
                    "-Dpolyglot.engine.WarnInterpreterOnly=true",
                    "-cp",
                    PeerJars.benchJar(ctx.home()).toString()));
        } else {
            cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", PeerJars.classPath(ctx.home())));
        }
        cmd.add(peer.mainClass);
        cmd.addAll(Runner.dirFlag(w));
        cmd.add(w.wasm().toString());
        cmd.addAll(w.args(ctx.quick(), true));
        var outcome = ctx.commands().run(cmd, null, timeoutSeconds);
        if (peer == Peer.GRAALWASM
                && outcome.err().contains("fallback runtime that does not support runtime compilation")) {
            throw new BenchException(
                    "graalwasm: Truffle fell back to its interpreter (no JVMCI compiler), the figures would not be GraalWasm's:\n"
                            + outcome.err().strip());
        }
        return Runner.fromPeerTimingLine(name(), outcome);
    }
}
