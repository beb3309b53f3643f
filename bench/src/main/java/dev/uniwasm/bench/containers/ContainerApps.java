package dev.uniwasm.bench.containers;

import dev.uniwasm.bench.compile.CPythonWasm;
import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.bench.http.HttpServerBuild;
import dev.uniwasm.bench.http.SharedLibraries;
import dev.uniwasm.testkit.ScratchImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The apps the containers suite runs, one row each, and their images: a uniwasm image ({@code
 * uniwasm image build}, platform wasi/wasm) for uniwasm-runtime, the native equivalent in a scratch
 * image for crun and runc, and QEMU booting the uniwasm image's VM for plain runc ({@link
 * QemuRuncImage}). Adding an app is one entry in {@link #APPS} and a case in {@link #build}.
 */
final class ContainerApps {
    /** How the suite knows a container is up. */
    enum Readiness {
        /** Its log (stdout) has the line {@code ready}. */
        READY_LINE,
        /** {@code GET /} on its port {@value ContainerApps#HTTP_PORT}, in its network namespace, returns 200 and the page. */
        HTTP_200
    }

    /** An app: its name (image names, ids, report), what it is (report), how readiness is seen. */
    record App(String name, String what, Readiness readiness) {}

    /** The images an app can have: uniwasm's (wasi/wasm), the native equivalent, QEMU booting uniwasm's VM image. */
    enum ImageKind {
        WASM,
        NATIVE,
        QEMU
    }

    /**
     * The built images of an app (a reference and its archive, null when not asked for); {@code
     * wasmSkip} says why there is no uniwasm image (null when there is one, or none was asked for),
     * which leaves the QEMU image out too.
     */
    record Images(
            String wasmRef,
            Path wasmTar,
            String wasmSkip,
            String nativeRef,
            Path nativeTar,
            String qemuRef,
            Path qemuTar) {
        String ref(ImageKind kind) {
            return switch (kind) {
                case WASM -> wasmRef;
                case NATIVE -> nativeRef;
                case QEMU -> qemuRef;
            };
        }
    }

    static final String HTTP_PORT = "8080";
    /** The page the HTTP containers serve and the probe expects byte for byte. */
    static final String HTTP_PAGE = "<!doctype html><title>uwbench</title><p>a container answered\n";
    /** The "empty application" of the paper in Python: says it is up, then sleeps (a day at most, like the sleeper). */
    static final String PYTHON_CODE = "import time; print('ready', flush=True); time.sleep(86400)";
    /**
     * Prints the standard library's folder, then the source and bytecode files of every module loaded
     * after {@code import time}: what {@link #PYTHON_CODE} loads before it sleeps.
     */
    static final String PYTHON_LISTING = "import time, sys, os\nprint(os.path.dirname(os.__file__))\n"
            + "for m in list(sys.modules.values()):\n    for a in ('__file__', '__cached__'):\n"
            + "        f = getattr(m, a, None)\n        if f: print(f)\n";

    static final List<App> APPS = List.of(
            new App(
                    "idle",
                    "`bench/programs/idle/sleeper.c`: prints `ready`, then sleeps (WASI `poll_oneoff` on a clock; natively "
                            + "`clock_nanosleep`)",
                    Readiness.READY_LINE),
            new App(
                    "http",
                    "`examples/http_server.c` serving one " + HTTP_PAGE.length() + "-byte page on port " + HTTP_PORT
                            + " (natively: built against `bench/programs/http/wasi-posix/`, `WASI_TCPLISTEN=0.0.0.0:"
                            + HTTP_PORT
                            + "`); up when `GET /` returns 200 and the page",
                    Readiness.HTTP_200),
            new App(
                    "cpython",
                    "CPython as the paper's \"empty application\": `python -c \"" + PYTHON_CODE + "\"`; uniwasm: "
                            + "`python.wasm` 3.12 (`" + CPythonWasm.PACKAGE
                            + "`, its standard library built into the module); natively: "
                            + "Debian's `/usr/bin/python3` with the libraries `ldd` names and the standard-library files (sources and "
                            + "bytecode) it loads for that line",
                    Readiness.READY_LINE));

    private ContainerApps() {}

    static String wasmRef(App app) {
        return "docker.io/library/uwbench-" + app.name() + "-wasm:1";
    }

    static String nativeRef(App app) {
        return "docker.io/library/uwbench-" + app.name() + "-native:1";
    }

    static String qemuRef(App app) {
        return "docker.io/library/uwbench-" + app.name() + "-qemu:1";
    }

    /**
     * Builds the images of {@code app} of the {@code kinds} asked for under {@code dir} (a QEMU image
     * is made from the uniwasm image, so that one is built too); {@code tcg}: whether VMs run under
     * TCG here (the QEMU image's command line and its THP helper).
     */
    static Images build(BenchContext ctx, App app, Path dir, Set<ImageKind> kinds, boolean tcg) throws IOException {
        boolean qemu = kinds.contains(ImageKind.QEMU),
                wasm = qemu || kinds.contains(ImageKind.WASM),
                nativeImage = kinds.contains(ImageKind.NATIVE);
        Path wasmTar = dir.resolve(app.name() + "-wasm.tar"), nativeTar = dir.resolve(app.name() + "-native.tar");
        String wasmSkip = null;
        // the module in the uniwasm image and its arguments after it: the QEMU image's boot configuration
        Path module;
        List<String> args;
        switch (app.name()) {
            case "idle" -> {
                Path source = ctx.home().resolve("bench/programs/idle/sleeper.c");
                Path exe = dir.resolve("sleeper");
                module = dir.resolve("sleeper.wasm");
                args = List.of();
                if (wasm) {
                    ctx.commands().require(wasmCompile(source, module), null, 300);
                    imageBuild(ctx, module, app, wasmTar, List.of(), args);
                }
                if (nativeImage) {
                    ctx.commands().require(nativeCompile(source, exe), null, 300);
                    ScratchImage.write(
                            ctx.commands(),
                            Map.of("sleeper", exe),
                            new ScratchImage.Config(List.of("/sleeper"), List.of(), List.of()),
                            nativeRef(app),
                            nativeTar);
                }
            }
            case "http" -> {
                Path www = Files.createDirectories(dir.resolve("www"));
                Files.writeString(www.resolve("index.html"), HTTP_PAGE);
                module = null;
                args = List.of("/www");
                if (wasm) {
                    if (imageBuildHas(ctx, "--tcplisten")) {
                        module = HttpServerBuild.wasmServer(ctx);
                        imageBuild(
                                ctx,
                                module,
                                app,
                                wasmTar,
                                List.of("--dir", www + "::/www", "--tcplisten", HTTP_PORT),
                                args);
                    } else {
                        wasmSkip =
                                "`uniwasm image build` has no `--tcplisten` in this build (containers get no network yet), so there is "
                                        + "no uniwasm HTTP image";
                    }
                }
                if (nativeImage) {
                    Map<String, Path> files = new LinkedHashMap<>();
                    files.put("http_server", HttpServerBuild.nativeServer(ctx));
                    files.put("www/index.html", www.resolve("index.html"));
                    ScratchImage.write(
                            ctx.commands(),
                            files,
                            new ScratchImage.Config(
                                    List.of("/http_server"),
                                    List.of("/www"),
                                    List.of("WASI_DIR=/www::/www", "WASI_TCPLISTEN=0.0.0.0:" + HTTP_PORT)),
                            nativeRef(app),
                            nativeTar);
                }
            }
            case "cpython" -> {
                module = wasm ? CPythonWasm.fetch() : null;
                args = List.of("-c", PYTHON_CODE);
                if (wasm) imageBuild(ctx, module, app, wasmTar, List.of(), args);
                if (nativeImage) {
                    ScratchImage.write(
                            ctx.commands(),
                            nativePythonFiles(ctx),
                            new ScratchImage.Config(List.of("/usr/bin/python3"), List.of("-c", PYTHON_CODE), List.of()),
                            nativeRef(app),
                            nativeTar);
                }
            }
            default -> throw new IllegalStateException("no images for the app " + app.name());
        }
        boolean wasmBuilt = wasm && wasmSkip == null, qemuBuilt = qemu && wasmSkip == null;
        Path qemuTar = dir.resolve(app.name() + "-qemu.tar");
        if (qemuBuilt) {
            Path noThp = null;
            if (tcg) {
                noThp = dir.resolve("no-thp");
                ctx.commands()
                        .require(
                                nativeCompile(ctx.home().resolve("bench/programs/qemu-runc/no_thp.c"), noThp),
                                null,
                                300);
            }
            QemuRuncImage.write(ctx, wasmTar, module.getFileName().toString(), args, tcg, noThp, qemuRef(app), qemuTar);
        }
        return new Images(
                wasmBuilt ? wasmRef(app) : null,
                wasmBuilt ? wasmTar : null,
                wasmSkip,
                nativeImage ? nativeRef(app) : null,
                nativeImage ? nativeTar : null,
                qemuBuilt ? qemuRef(app) : null,
                qemuBuilt ? qemuTar : null);
    }

    private static List<String> nativeCompile(Path source, Path exe) {
        return List.of("clang", "-O2", "-Wall", "-Werror", "-static", "-o", exe.toString(), source.toString());
    }

    private static List<String> wasmCompile(Path source, Path wasm) {
        List<String> cmd = new ArrayList<>(
                List.of("clang", "--target=wasm32-wasi", "-O2", "-Wall", "-Werror", "-Wl,--strip-debug"));
        if (Files.isDirectory(Path.of("/usr/share/wasi-sysroot"))) cmd.add("--sysroot=/usr/share/wasi-sysroot");
        cmd.addAll(List.of("-o", wasm.toString(), source.toString()));
        return cmd;
    }

    private static void imageBuild(
            BenchContext ctx, Path wasm, App app, Path out, List<String> flags, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(
                ctx.launcher().toString(),
                "image",
                "build",
                wasm.toString(),
                "--tag",
                wasmRef(app),
                "-o",
                out.toString()));
        cmd.addAll(flags);
        if (!args.isEmpty()) {
            cmd.add("--");
            cmd.addAll(args);
        }
        ctx.commands().require(cmd, null, 1800);
    }

    /** Whether {@code uniwasm image build} takes the option {@code flag} (its --help names it). */
    private static boolean imageBuildHas(BenchContext ctx, String flag) {
        String help = ctx.commands()
                .require(List.of(ctx.launcher().toString(), "image", "build", "--help"), null, 300)
                .out();
        return help.contains(flag + " ") || help.contains(flag + "=") || help.contains(flag + ",");
    }

    /** Debian's python3, its libraries and what it loads of its standard library for {@link #PYTHON_CODE}: image path -> host file. */
    static Map<String, Path> nativePythonFiles(BenchContext ctx) {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python))
            throw new BenchException(python + " is not installed (Debian package python3)");
        Map<String, Path> files = new TreeMap<>();
        files.put("usr/bin/python3", python);
        files.putAll(SharedLibraries.of(ctx, python));
        // an empty environment and / as the working folder: as in the container
        String listing = ctx.commands()
                .require(List.of("env", "-i", python.toString(), "-c", PYTHON_LISTING), Path.of("/"), 60)
                .out();
        for (String f : stdlibFiles(listing)) {
            if (Files.isRegularFile(Path.of(f))) files.put(f.substring(1), Path.of(f));
        }
        return files;
    }

    /**
     * The files of {@link #PYTHON_LISTING}'s output inside the standard library's folder (its first
     * line), without duplicates; site-packages and anything else outside it are left out.
     */
    static List<String> stdlibFiles(String listing) {
        List<String> lines =
                listing.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("/"))
            throw new BenchException("python3 printed no standard-library folder: " + listing);
        String lib = lines.get(0) + "/";
        List<String> files = lines.subList(1, lines.size()).stream()
                .filter(l -> l.startsWith(lib) && !l.contains("/../"))
                .filter(l -> !l.substring(lib.length()).contains("-packages/"))
                .distinct()
                .sorted()
                .toList();
        if (files.stream().noneMatch(f -> f.equals(lib + "os.py"))) {
            throw new BenchException(
                    "python3 loaded no " + lib + "os.py (its landmark for finding the standard library): " + listing);
        }
        return files;
    }
}
