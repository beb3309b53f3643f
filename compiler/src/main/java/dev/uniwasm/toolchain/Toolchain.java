package dev.uniwasm.toolchain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Loader;

/**
 * The clang and ld.lld that ship inside the org.bytedeco:llvm jar. JavaCPP unpacks them into its
 * cache on first use; they look for versioned shared-library names that the jar does not ship, so
 * we add those links beside them.
 */
public final class Toolchain {
    private static Path binDir;

    private Toolchain() {}

    /** The directory holding the unpacked tools and libraries. */
    public static synchronized Path binDir() {
        if (binDir == null) {
            try {
                Path clang = Path.of(Loader.load(org.bytedeco.llvm.program.clang.class));
                Path dir = clang.getParent();
                link(dir, "libLLVM.so.20.1", "libLLVM.so");
                link(dir, "libclang-cpp.so.20.1", "libclang-cpp.so");
                // lld is a multi-call binary that picks its flavour from argv[0].
                Path lld = dir.resolve("lld");
                if (!Files.exists(lld)) {
                    Loader.cacheResource(org.bytedeco.llvm.program.clang.class, "lld");
                }
                link(dir, "ld.lld", "lld");
                lld.toFile().setExecutable(true);
                binDir = dir;
            } catch (IOException e) {
                throw new ToolchainException("cannot unpack the bundled LLVM tools: " + e.getMessage());
            }
        }
        return binDir;
    }

    public static Path clang() {
        return binDir().resolve("clang");
    }

    public static Path ldLld() {
        return binDir().resolve("ld.lld");
    }

    private static void link(Path dir, String name, String target) throws IOException {
        Path link = dir.resolve(name);
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createSymbolicLink(link, Path.of(target));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process made it first
            }
        }
    }

    /** Runs a tool to completion; throws with its output when it fails. Returns its output. */
    public static String run(List<String> command) {
        List<String> cmd = new ArrayList<>(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", binDir().toString());
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new ToolchainException(String.join(" ", cmd) + " failed (exit " + rc + "):\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new ToolchainException("cannot run " + cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolchainException("interrupted while running " + cmd.get(0));
        }
    }
}
