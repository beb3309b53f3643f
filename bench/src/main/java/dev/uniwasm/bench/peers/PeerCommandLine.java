package dev.uniwasm.bench.peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line every peer launcher takes: {@code [--dir HOST::GUEST]... APP.wasm [ARGS...]}, and
 * the timing line every launcher prints last on stderr ({@code uniwasm-bench: prepare_ns=N run_ns=N}):
 * prepare is parsing, compiling and instantiating the module, run is the call of {@code _start}.
 */
record PeerCommandLine(Map<String, Path> dirs, Path wasm, List<String> args) {
    /** argv[0] as the program sees it: the file name, as with wasmtime and uniwasm. */
    String programName() {
        return wasm.getFileName().toString();
    }

    List<String> argvWithProgramName() {
        List<String> all = new ArrayList<>();
        all.add(programName());
        all.addAll(args);
        return all;
    }

    static PeerCommandLine parse(String peer, String[] argv) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        int i = 0;
        while (i < argv.length && argv[i].equals("--dir")) {
            if (i + 1 >= argv.length) throw usage(peer, "--dir needs HOST::GUEST");
            String[] hostGuest = argv[i + 1].split("::", 2);
            if (hostGuest.length != 2) throw usage(peer, "--dir " + argv[i + 1] + ": expected HOST::GUEST");
            if (!Files.isDirectory(Path.of(hostGuest[0])))
                throw usage(peer, "--dir " + argv[i + 1] + ": no such folder " + hostGuest[0]);
            dirs.put(hostGuest[1], Path.of(hostGuest[0]));
            i += 2;
        }
        if (i >= argv.length) throw usage(peer, "missing APP.wasm");
        Path wasm = Path.of(argv[i]);
        if (!Files.isRegularFile(wasm)) throw usage(peer, wasm + ": no such file");
        return new PeerCommandLine(dirs, wasm, List.of(argv).subList(i + 1, argv.length));
    }

    private static IllegalArgumentException usage(String peer, String why) {
        return new IllegalArgumentException(peer + ": " + why + " (usage: [--dir HOST::GUEST]... APP.wasm [ARGS...])");
    }

    static void printTimings(long prepareNanos, long runNanos) {
        System.out.flush();
        System.err.println("uniwasm-bench: prepare_ns=" + prepareNanos + " run_ns=" + runNanos);
        System.err.flush();
    }

    /** Runs a launcher's main body: bad usage exits 2, a failure of the peer 1, the app's own status otherwise. */
    static void exit(String peer, PeerMain body, String[] argv) {
        int status;
        try {
            status = body.run(parse(peer, argv));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            status = 2;
        } catch (Throwable t) {
            System.out.flush();
            System.err.println(peer + ": " + t);
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    @FunctionalInterface
    interface PeerMain {
        int run(PeerCommandLine cmd) throws Exception;
    }
}
