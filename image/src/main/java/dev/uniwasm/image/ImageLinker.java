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
import java.util.List;

/**
 * Links a compiled app object with the kernel archive and a baked boot configuration into one ELF
 * that QEMU (microvm, q35) and other PVH loaders boot directly with {@code -kernel}.
 */
public final class ImageLinker {
    private ImageLinker() {}

    public static void link(Path appObject, Module module, BootConfig baked, Path outImage) {
        checkImports(module);
        checkEntry(module);
        if (!Files.isRegularFile(appObject)) throw new ImageException("app object " + appObject + " does not exist");
        Path kernel = KernelBuild.kernelArchive();
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
            Toolchain.run(List.of(Toolchain.ldLld().toString(),
                    "-nostdlib", "-static", "--no-pie", "-z", "max-page-size=4096", "-z", "noexecstack",
                    "--build-id=none", "-T", kernel.resolve(KernelBuild.LINKER_SCRIPT).toString(),
                    "-o", out.toString(),
                    configObject.toString(), appObject.toAbsolutePath().toString(),
                    kernel.resolve(KernelBuild.ARCHIVE).toString()));
        } catch (ToolchainException e) {
            throw new ImageException("linking " + outImage + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ImageException("linking " + outImage + " failed: " + e.getMessage(), e);
        } finally {
            KernelBuild.deleteTree(work);
        }
    }

    /** Every import must be a function of wasi_snapshot_preview1 that the kernel defines, with the
     * kernel's signature: anything else would be an undefined symbol or a mismatched call. */
    static void checkImports(Module module) {
        for (Import imp : module.imports) {
            String what = imp.module() + "." + imp.name();
            if (!imp.module().equals(WasiFunctions.MODULE)) {
                throw new ImageException("unknown import module \"" + imp.module() + "\" (import " + what + ")");
            }
            if (!(imp.desc() instanceof ImportDesc.Func func)) {
                throw new ImageException("import " + what + " is a " + imp.desc().kind().name().toLowerCase()
                        + "; the kernel provides only functions to import");
            }
            String expected = WasiFunctions.signature(imp.name());
            if (expected == null) {
                throw new ImageException("unknown import " + what + ": not a function of " + WasiFunctions.MODULE);
            }
            FuncType type = module.types.get(func.typeIndex());
            if (!type.signature().equals(expected)) {
                throw new ImageException("import " + what + " has type " + type.signature()
                        + ", but the kernel defines it as " + expected);
            }
        }
    }

    /** The kernel starts a WASI command: an exported function "_start" taking and returning nothing. */
    static void checkEntry(Module module) {
        for (Export e : module.exports) {
            if (!e.name().equals("_start")) continue;
            if (e.kind() != ExternKind.FUNC) throw new ImageException("export \"_start\" is not a function");
            FuncType type = module.funcType(e.index());
            if (!type.params().isEmpty() || !type.results().isEmpty()) {
                throw new ImageException("export \"_start\" has type " + type.signature() + ", expected :");
            }
            return;
        }
        throw new ImageException("the module exports no function \"_start\" (only WASI commands can be booted)");
    }

    /** The config as an object defining uw_baked_config .. uw_baked_config_end, which the kernel reads
     * when the monitor passes none at run time. */
    private static Path bootConfigObject(BootConfig baked, Path work) throws IOException {
        Path blob = work.resolve("bootconfig.bin");
        Files.write(blob, baked.encode());
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
                """.formatted(blob.toString().replace("\\", "\\\\").replace("\"", "\\\"")));
        Path obj = work.resolve("bootconfig.o");
        Toolchain.run(List.of(Toolchain.clang().toString(), "--target=x86_64-unknown-none-elf", "-c",
                asm.toString(), "-o", obj.toString()));
        return obj;
    }
}
