package dev.uniwasm.bench.compute;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.core.CommandRunner;
import dev.uniwasm.image.DebianSource;
import dev.uniwasm.image.ImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * SQLite's {@code speedtest1} from Debian's {@code sqlite3} source package (fetched at bench time into
 * {@code bench/work/third_party}, never committed), built natively and to wasm32-wasi.
 *
 * <p>The package carries SQLite's source tree, not the amalgamation {@code sqlite3.c} that
 * speedtest1 is built with: the amalgamation is generated once by SQLite's own build
 * ({@code configure && make sqlite3.c}, out of tree), which needs {@code tclsh} (Debian package
 * {@code tcl}). Both builds use SQLite without its unix layer ({@code SQLITE_OS_OTHER=1}) and with
 * our in-memory VFS {@code programs/sqlite/memory-only-vfs.c}, so that native and Wasm run the same
 * code; speedtest1 therefore runs with {@code --memdb}.
 */
final class SqliteBuild {
    static final String DEBIAN_VERSION = "3.40.1-2+deb12u2";
    /** The source package's files and their SHA-256, as listed in bookworm's Sources. */
    private static final DebianSource PACKAGE = new DebianSource(
            "SQLite",
            "sqlite3",
            DEBIAN_VERSION,
            Map.of(
                    "sqlite3_3.40.1-2+deb12u2.dsc", "ee3459ae9d00939741c7708fc1b8ce1bde12d8c3fb1dfa005bbbc8651d884e23",
                    "sqlite3_3.40.1.orig-www.tar.xz",
                            "a5e95a18d1b59729278860559ded78751b9163ffb5bb906c5cd24c015f71d5fd",
                    "sqlite3_3.40.1.orig.tar.xz", "aaa776260ab4dc976db34aa7891819484c8676b5b2783123ebc6301e2ca5d655",
                    "sqlite3_3.40.1-2+deb12u2.debian.tar.xz",
                            "0843bc12e4364076477935ce313a6d0796fd899a989ff18ebb6545540e10e4ca"));
    /**
     * The same configuration natively and for wasm32-wasi: no unix VFS (ours instead), no threads (wasi-libc
     * has none), no extension loading (no dlopen), temporary tables and indexes in memory (no temp files).
     */
    private static final List<String> FLAGS = List.of(
            "-w",
            "-DSQLITE_OS_OTHER=1",
            "-DSQLITE_THREADSAFE=0",
            "-DSQLITE_OMIT_LOAD_EXTENSION",
            "-DSQLITE_TEMP_STORE=3");

    private static final long AMALGAMATION_TIMEOUT_SECONDS = 900;

    private SqliteBuild() {}

    /** {native speedtest1, speedtest1.wasm}, fetching SQLite and generating its amalgamation when needed. */
    static Path[] build(BenchContext ctx) {
        Path tree;
        try {
            tree = PACKAGE.tree(ctx.work().resolve("third_party"), "sqlite3-" + DEBIAN_VERSION, t -> {
                for (String f : List.of("configure", "test/speedtest1.c", "tool/mksqlite3c.tcl")) {
                    if (!Files.isRegularFile(t.resolve(f)))
                        throw new ImageException("the sqlite3 source package unpacked into " + t + " lacks " + f);
                }
            });
        } catch (ImageException e) {
            throw new BenchException(e.getMessage(), e);
        }
        Path amalgamation = amalgamation(ctx, tree);
        Path vfs = ctx.home()
                .resolve("bench")
                .resolve("programs")
                .resolve("sqlite")
                .resolve("memory-only-vfs.c");
        List<Path> sources =
                List.of(tree.resolve("test").resolve("speedtest1.c"), amalgamation.resolve("sqlite3.c"), vfs);
        List<Path> headers = List.of(amalgamation.resolve("sqlite3.h"));
        List<String> flags = new ArrayList<>(FLAGS);
        flags.add("-I" + amalgamation);
        return new Path[] {
            ProgramBuild.buildNative(ctx, "speedtest1", sources, headers, flags),
            ProgramBuild.buildWasm(ctx, "speedtest1", sources, headers, flags)
        };
    }

    /** The folder holding {@code sqlite3.c} and {@code sqlite3.h}, generated from {@code tree} unless already there. */
    private static Path amalgamation(BenchContext ctx, Path tree) {
        Path done = ctx.work().resolve("compute").resolve("sqlite-amalgamation-" + DEBIAN_VERSION);
        if (Files.isRegularFile(done.resolve("sqlite3.c")) && Files.isRegularFile(done.resolve("sqlite3.h")))
            return done;
        CommandRunner.Outcome tcl = ctx.commands().run(List.of("tclsh", "/dev/null"), null, 30);
        if (!tcl.ok()) {
            throw new BenchException("generating SQLite's amalgamation sqlite3.c needs tclsh (Debian package tcl): "
                    + tcl.describeFailure());
        }
        Path scratch = done.resolveSibling(
                done.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            deleteTree(scratch);
            Files.createDirectories(scratch);
            ctx.say("generating SQLite's amalgamation sqlite3.c (configure && make sqlite3.c, about a minute)");
            // out of tree, so the verified source tree stays as unpacked; Debian's clang, as for the programs
            ctx.commands()
                    .require(
                            List.of(
                                    tree.resolve("configure").toString(),
                                    "CC=" + ProgramBuild.CLANG,
                                    "--disable-tcl",
                                    "--disable-readline"),
                            scratch,
                            AMALGAMATION_TIMEOUT_SECONDS);
            ctx.commands().require(List.of("make", "sqlite3.c"), scratch, AMALGAMATION_TIMEOUT_SECONDS);
            Path keep = scratch.resolve("amalgamation");
            Files.createDirectories(keep);
            Files.move(scratch.resolve("sqlite3.c"), keep.resolve("sqlite3.c"));
            Files.move(scratch.resolve("sqlite3.h"), keep.resolve("sqlite3.h"));
            try {
                Files.move(keep, done, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // another bench process generated the same amalgamation first
                if (!Files.isRegularFile(done.resolve("sqlite3.h"))) throw raced;
            }
            deleteTree(scratch);
            return done;
        } catch (IOException e) {
            throw new BenchException("cannot generate SQLite's amalgamation in " + scratch + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
