package dev.uniwasm.bench.compute;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.image.DebianSource;
import dev.uniwasm.image.ImageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * zlib and libbz2 from Debian's {@code zlib} and {@code bzip2} source packages (fetched at bench time
 * into {@code bench/work/third_party}, never committed), each linked with a driver of ours from
 * {@code bench/programs/} ({@code zlib_deflate.c}, {@code bzip2_compress.c}), natively and to
 * wasm32-wasi.
 */
final class CompressionBuild {
    /** One library: its source package, the library's C files, and our driver. */
    record Library(String name, DebianSource source, String treeName, List<String> libraryFiles, String driver) {}

    static final Library ZLIB = new Library(
            "zlib",
            new DebianSource(
                    "zlib",
                    "zlib",
                    "1:1.2.13.dfsg-1",
                    Map.of(
                            "zlib_1.2.13.dfsg-1.dsc",
                                    "3fa1e6b2fc525062aa88207dda52fed8e045373c809d362fe8a2bfbf7cf515a8",
                            "zlib_1.2.13.dfsg.orig.tar.bz2",
                                    "71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1",
                            "zlib_1.2.13.dfsg-1.debian.tar.xz",
                                    "f66cf3d4f2d7defcd4d1fd1fb0a11ee39f1e01b42ec7d059c9dc5c1695133c44")),
            "zlib-1.2.13.dfsg-1",
            List.of(
                    "adler32.c",
                    "compress.c",
                    "crc32.c",
                    "deflate.c",
                    "inffast.c",
                    "inflate.c",
                    "inftrees.c",
                    "trees.c",
                    "uncompr.c",
                    "zutil.c"),
            "zlib_deflate.c");

    static final Library BZIP2 = new Library(
            "bzip2",
            new DebianSource(
                    "bzip2",
                    "bzip2",
                    "1.0.8-5",
                    Map.of(
                            "bzip2_1.0.8-5.dsc", "ed9c40f4de3f9e064535e15eac1c61a0f606763db98f4579dbc04067b94a8944",
                            "bzip2_1.0.8.orig.tar.gz",
                                    "ab5a03176ee106d3f0fa90e381da478ddae405918153cca248e682cd0c4a2269",
                            "bzip2_1.0.8-5.debian.tar.bz2",
                                    "d68c6eba11d70e14319e24ef1451880a03023b2b75364646adb117086db36039")),
            "bzip2-1.0.8-5",
            List.of("blocksort.c", "huffman.c", "crctable.c", "randtable.c", "compress.c", "decompress.c", "bzlib.c"),
            "bzip2_compress.c");

    private CompressionBuild() {}

    /** {native executable, wasm module} of the library's driver, fetching and building when needed. */
    static Path[] build(BenchContext ctx, Library lib) {
        Path tree;
        try {
            tree = lib.source().tree(ctx.work().resolve("third_party"), lib.treeName(), t -> {
                for (String f : lib.libraryFiles()) {
                    if (!Files.isRegularFile(t.resolve(f)))
                        throw new ImageException(
                                "the " + lib.name() + " source package unpacked into " + t + " lacks " + f);
                }
            });
        } catch (ImageException e) {
            throw new BenchException(e.getMessage(), e);
        }
        Path programs = ctx.home().resolve("bench").resolve("programs");
        List<Path> sources = new ArrayList<>();
        sources.add(programs.resolve(lib.driver()));
        lib.libraryFiles().forEach(f -> sources.add(tree.resolve(f)));
        List<Path> headers = List.of(programs.resolve("corpus.h"));
        List<String> flags = List.of("-w", "-I" + tree);
        String exeName = lib.driver().replace(".c", "");
        return new Path[] {
            ProgramBuild.buildNative(ctx, exeName, sources, headers, flags),
            ProgramBuild.buildWasm(ctx, exeName, sources, headers, flags)
        };
    }
}
