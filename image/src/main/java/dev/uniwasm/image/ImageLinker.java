package dev.uniwasm.image;

import dev.uniwasm.toolchain.Toolchain;
import dev.uniwasm.toolchain.ToolchainException;
import dev.uniwasm.wasm.Export;
import dev.uniwasm.wasm.ExternKind;
import dev.uniwasm.wasm.FuncType;
import dev.uniwasm.wasm.Import;
import dev.uniwasm.wasm.ImportDesc;
import dev.uniwasm.wasm.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Links a compiled app object with the kernel archive and a baked boot configuration into one ELF
 * that QEMU (microvm, q35) and other PVH loaders boot directly with {@code -kernel}.
 *
 * <p>It links twice: pass 1 with an empty function map, from whose symbol table it builds the map
 * of code addresses to Wasm functions ({@link FunctionMap}) that lets the kernel name the function
 * a trap happened in; pass 2 with that map, which kernel.ld places after everything else, checking
 * that no symbol before it moved.
 */
public final class ImageLinker {
    /** The function map's symbol, which the kernel reads (kernel/include/kernel/funcmap.h). */
    static final String FUNCTION_MAP_SYMBOL = "uw_function_map";

    /**
     * The largest boot configuration (with its packed --dir folders) an image can bake in. It lies in
     * .rodata, between the code and .bss, and the kernel and the app are compiled for the small code
     * model: code reaches its data within ±2 GiB and absolute addresses below 2 GiB. 1 GiB leaves
     * the rest to the kernel and to the app's code and data. Larger folders go to 'run --dir'.
     */
    public static final long MAX_BAKED_CONFIG_BYTES = 1L << 30;

    private ImageLinker() {}

    /** Refuses a configuration too large to bake in ({@link #MAX_BAKED_CONFIG_BYTES}), before any work. */
    public static void checkBakeable(BootConfig baked) {
        long size = baked.size();
        if (size > MAX_BAKED_CONFIG_BYTES) {
            throw new ImageException(
                    "the boot configuration to bake in is " + size + " bytes with its packed directories, more than "
                            + "the " + (MAX_BAKED_CONFIG_BYTES >> 20)
                            + " MiB an image can hold (its code reaches its data within 2 GiB); "
                            + "give the large folders to 'uniwasm run --dir' instead");
        }
    }

    public static void link(Path appObject, Module module, BootConfig baked, Path outImage) {
        link(appObject, module, baked, outImage, KernelBuild.Platform.X86_64_PVH, List.of());
    }

    /** The same with the kernel for {@code platform}, and {@code symbols} (--defsym options) that
     * its kernel reads (see {@link ExecutableLinker}). */
    static void link(
            Path appObject,
            Module module,
            BootConfig baked,
            Path outImage,
            KernelBuild.Platform platform,
            List<String> symbols) {
        List<String> aliases = new ArrayList<>(importAliases(module));
        aliases.addAll(symbols);
        checkEntry(module);
        checkBakeable(baked);
        if (!Files.isRegularFile(appObject)) throw new ImageException("app object " + appObject + " does not exist");
        Path kernel = KernelBuild.kernelArchive(platform);
        Path work;
        try {
            work = Files.createTempDirectory("uniwasm-link-");
        } catch (IOException e) {
            throw new ImageException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        try {
            Path configObject = bootConfigObject(baked, work);
            Path out = outImage.toAbsolutePath();
            if (out.getParent() != null) Files.createDirectories(out.getParent());
            // Pass 1 with an empty function map: its symbols say where each Wasm function landed.
            Path first = work.resolve("pass1.img");
            linkOnce(
                    kernel,
                    first,
                    configObject,
                    functionMapObject(FunctionMap.EMPTY, work, "funcmap-empty"),
                    appObject,
                    aliases);
            List<ElfSymbols.Symbol> firstSymbols = ElfSymbols.read(first);
            FunctionMap map = FunctionMap.build(firstSymbols, module, outImage.toString());
            if (map.isEmpty()) {
                // Nothing to name: pass 1 already is the image, byte for byte what pass 2 would give.
                Files.move(first, out, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            // Pass 2 with the real map, which kernel.ld places after everything else. Checked before
            // it becomes the output, so a failed check leaves no image behind.
            Path second = work.resolve("pass2.img");
            linkOnce(kernel, second, configObject, functionMapObject(map, work, "funcmap"), appObject, aliases);
            checkNothingMoved(firstSymbols, ElfSymbols.read(second), outImage);
            Files.move(second, out, StandardCopyOption.REPLACE_EXISTING);
        } catch (ToolchainException e) {
            throw new ImageException("linking " + outImage + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ImageException("linking " + outImage + " failed: " + e.getMessage(), e);
        } finally {
            KernelBuild.deleteTree(work);
        }
    }

    /** One link; {@code aliases} are --defsym options that override the kernel's definition of an
     * import symbol (a definition from a linker option wins over the archive's, with no clash). */
    private static void linkOnce(
            Path kernel, Path out, Path configObject, Path mapObject, Path appObject, List<String> aliases) {
        List<String> cmd = new ArrayList<>(List.of(
                Toolchain.ldLld().toString(),
                "-nostdlib",
                "-static",
                "--no-pie",
                "-z",
                "max-page-size=4096",
                "-z",
                "noexecstack",
                "--build-id=none",
                "-T",
                kernel.resolve(KernelBuild.LINKER_SCRIPT).toString(),
                "-o",
                out.toString()));
        cmd.addAll(aliases);
        cmd.addAll(List.of(
                configObject.toString(),
                mapObject.toString(),
                appObject.toAbsolutePath().toString(),
                kernel.resolve(KernelBuild.ARCHIVE).toString()));
        Toolchain.run(cmd);
    }

    /**
     * The function map's addresses come from pass 1, so pass 2 must have put every symbol below the
     * map exactly where pass 1 did. Only what follows the map (its own symbol's size, __image_end)
     * may differ. A difference is a bug in kernel.ld or the map object, never something to ignore.
     */
    static void checkNothingMoved(List<ElfSymbols.Symbol> first, List<ElfSymbols.Symbol> second, Path image) {
        long mapStart = mapAddress(first, image, 1);
        long mapStart2 = mapAddress(second, image, 2);
        if (mapStart != mapStart2) {
            throw new ImageException("linking " + image + ": the function map moved from 0x"
                    + Long.toHexString(mapStart) + " (pass 1) to 0x" + Long.toHexString(mapStart2) + " (pass 2)");
        }
        List<String> before = placed(first, mapStart);
        List<String> after = placed(second, mapStart);
        if (before.equals(after)) return;
        int i = 0;
        while (i < Math.min(before.size(), after.size()) && before.get(i).equals(after.get(i))) i++;
        throw new ImageException("linking " + image + ": code or data moved between pass 1 and pass 2, so the function "
                + "map would name the wrong functions; first difference: "
                + (i < before.size() ? before.get(i) : "(nothing)") + " (pass 1) vs "
                + (i < after.size() ? after.get(i) : "(nothing)") + " (pass 2)");
    }

    private static long mapAddress(List<ElfSymbols.Symbol> symbols, Path image, int pass) {
        for (ElfSymbols.Symbol s : symbols) {
            if (s.name().equals(FUNCTION_MAP_SYMBOL) && s.isDefined()) return s.value();
        }
        throw new ImageException("linking " + image + ": pass " + pass + " defines no " + FUNCTION_MAP_SYMBOL);
    }

    /** Every symbol placed below the map, as "name@address+size type section", sorted by address then name. */
    private static List<String> placed(List<ElfSymbols.Symbol> symbols, long mapStart) {
        return symbols.stream()
                .filter(s -> s.value() < mapStart && !s.name().equals(FUNCTION_MAP_SYMBOL))
                .sorted(Comparator.comparingLong(ElfSymbols.Symbol::value).thenComparing(ElfSymbols.Symbol::name))
                .map(s -> s.name() + "@0x" + Long.toHexString(s.value()) + "+" + s.size() + " type " + s.type()
                        + " section " + s.section())
                .toList();
    }

    /**
     * Checks, in well under a second, everything about a module that would make {@link #link} fail
     * for a reason of the module's own: its imports (see {@link #importProblem}) and its entry point.
     * Builds call it right after decoding, before the long compile.
     */
    public static void checkLinkable(Module module) {
        importAliases(module);
        checkEntry(module);
    }

    /** The imports alone: see {@link #checkLinkable}. */
    static void checkImports(Module module) {
        importAliases(module);
    }

    /**
     * Why the kernel cannot provide an import, or null when it can. Every import must be a function
     * of wasi_snapshot_preview1 that the kernel defines, with one of the kernel's signatures for
     * it: anything else would be an undefined symbol or a mismatched call.
     */
    public static String importProblem(Module module, Import imp) {
        String what = imp.module() + "." + imp.name();
        if (!imp.module().equals(WasiFunctions.MODULE)) {
            return "unknown import module \"" + imp.module() + "\" (import " + what + ")";
        }
        if (!(imp.desc() instanceof ImportDesc.Func func)) {
            return "import " + what + " is a " + imp.desc().kind().name().toLowerCase()
                    + "; the kernel provides only functions to import";
        }
        List<WasiFunctions.Shape> shapes = WasiFunctions.shapes(imp.name());
        if (shapes.isEmpty()) return "unknown import " + what + ": not a function of " + WasiFunctions.MODULE;
        FuncType type = module.types.get(func.typeIndex());
        if (WasiFunctions.shape(imp.name(), type.signature()) == null) {
            return "import " + what + " has type " + type.text() + ", but the kernel defines it as "
                    + String.join(
                            " or ",
                            shapes.stream()
                                    .map(s ->
                                            FuncType.ofSignature(s.signature()).text())
                                    .toList());
        }
        return null;
    }

    /**
     * Checks the imports (see {@link #importProblem}) and returns the linker's {@code --defsym}
     * options that bind the imports of a second shape (WasmEdge's, chosen by signature) to the
     * kernel code for it. A name imported several times binds every import to one kernel function,
     * so all of them must have one type.
     */
    static List<String> importAliases(Module module) {
        Set<String> aliases = new LinkedHashSet<>();
        Map<String, FuncType> typeOfName = new HashMap<>();
        for (Import imp : module.imports) {
            String problem = importProblem(module, imp);
            if (problem != null) throw new ImageException(problem);
            FuncType type = module.types.get(((ImportDesc.Func) imp.desc()).typeIndex());
            FuncType earlier = typeOfName.putIfAbsent(imp.name(), type);
            if (earlier != null && !earlier.equals(type)) {
                throw new ImageException("import " + imp.module() + "." + imp.name()
                        + " is imported twice with different types, " + earlier.text() + " and " + type.text()
                        + "; the kernel binds a name to one function only");
            }
            WasiFunctions.Shape shape = WasiFunctions.shape(imp.name(), type.signature());
            if (shape.kernelSymbol() != null) {
                aliases.add("--defsym=" + WasiFunctions.IMPORT_SYMBOL_PREFIX + imp.name() + "=" + shape.kernelSymbol());
            }
        }
        return List.copyOf(aliases);
    }

    /** The kernel starts a WASI command: an exported function "_start" taking and returning nothing. */
    static void checkEntry(Module module) {
        for (Export e : module.exports) {
            if (!e.name().equals("_start")) continue;
            if (e.kind() != ExternKind.FUNC) throw new ImageException("export \"_start\" is not a function");
            FuncType type = module.funcType(e.index());
            if (!type.params().isEmpty() || !type.results().isEmpty()) {
                throw new ImageException("export \"_start\" has type " + type.text() + ", expected () -> ()");
            }
            return;
        }
        throw new ImageException("the module exports no function \"_start\" (only WASI commands can be booted)");
    }

    /** The map as an object defining uw_function_map in the section .uw_function_map. */
    private static Path functionMapObject(FunctionMap map, Path work, String name) throws IOException {
        Path blob = work.resolve(name + ".bin");
        Files.write(blob, map.encode());
        Path asm = work.resolve(name + ".S");
        Files.writeString(asm, """
                    .section .uw_function_map, "a"
                    .balign 8
                    .globl %s
                    .type %s, @object
                %s:
                    .incbin "%s"
                    .size %s, . - %s
                    .section .note.GNU-stack, "", @progbits
                """.formatted(
                        FUNCTION_MAP_SYMBOL,
                        FUNCTION_MAP_SYMBOL,
                        FUNCTION_MAP_SYMBOL,
                        escaped(blob),
                        FUNCTION_MAP_SYMBOL,
                        FUNCTION_MAP_SYMBOL));
        Path obj = work.resolve(name + ".o");
        Toolchain.run(List.of(
                Toolchain.clang().toString(),
                "--target=x86_64-unknown-none-elf",
                "-c",
                asm.toString(),
                "-o",
                obj.toString()));
        return obj;
    }

    private static String escaped(Path file) {
        return file.toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The config as an object defining uw_baked_config .. uw_baked_config_end, which the kernel reads
     * when the monitor passes none at run time. */
    private static Path bootConfigObject(BootConfig baked, Path work) throws IOException {
        Path blob = work.resolve("bootconfig.bin");
        // streamed: with --dir it carries whole directory trees, which need not fit in the heap
        baked.writeTo(blob);
        Path asm = work.resolve("bootconfig.S");
        Files.writeString(asm, """
                    .section .rodata.uw_baked_config, "a"
                    .balign 8
                    .globl uw_baked_config
                uw_baked_config:
                    .incbin "%s"
                    .globl uw_baked_config_end
                uw_baked_config_end:
                    .section .note.GNU-stack, "", @progbits
                """.formatted(escaped(blob)));
        Path obj = work.resolve("bootconfig.o");
        Toolchain.run(List.of(
                Toolchain.clang().toString(),
                "--target=x86_64-unknown-none-elf",
                "-c",
                asm.toString(),
                "-o",
                obj.toString()));
        return obj;
    }
}
