package dev.uniwasm.cli;

import dev.uniwasm.compiler.CompileOptions;
import dev.uniwasm.compiler.Compiler;
import dev.uniwasm.compiler.ObjectCache;
import dev.uniwasm.image.BootConfig;
import dev.uniwasm.image.ExecutableLinker;
import dev.uniwasm.image.ImageException;
import dev.uniwasm.image.ImageLinker;
import dev.uniwasm.image.KernelBuildException;
import dev.uniwasm.wasm.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Turns a .wasm into a bootable image: decode, validate, compile to an object, link. */
final class ImageBuilder {
    private ImageBuilder() {}

    /** Builds {@code out} atomically: a failed build leaves no half-written image behind. */
    static void build(Path wasm, byte[] bytes, CompileOptions options, BootConfig baked, Path out) {
        build(wasm, bytes, ModuleLoader.loadForImage(new Compiler(options), wasm, bytes), options, baked, out);
    }

    /** The same for a module {@link ModuleLoader#loadForImage} loaded already. */
    static void build(Path wasm, byte[] bytes, Module module, CompileOptions options, BootConfig baked, Path out) {
        build(wasm, bytes, module, options, baked, out, Isolation.VM, 0);
    }

    /** The same for a way of running; {@code memoryMib} is a process executable's limit when run by itself. */
    static void build(
            Path wasm,
            byte[] bytes,
            Module module,
            CompileOptions options,
            BootConfig baked,
            Path out,
            Isolation isolation,
            long memoryMib) {
        byte[] object = new Compiler(options)
                .onProgress(TerminalProgress.forStderr(wasm.getFileName().toString()))
                .compileCached(bytes, module, ObjectCache.defaultCache());
        Path dir = out.toAbsolutePath().getParent();
        Path objectFile = null, partial = null;
        try {
            Files.createDirectories(dir);
            objectFile = Files.createTempFile(dir, ".uniwasm-app-", ".o");
            partial = Files.createTempFile(dir, ".uniwasm-image-", ".partial");
            Files.write(objectFile, object);
            try {
                if (isolation == Isolation.PROCESS)
                    ExecutableLinker.link(objectFile, module, baked, partial, memoryMib);
                else ImageLinker.link(objectFile, module, baked, partial);
            } catch (KernelBuildException e) {
                // uniwasm's own failure (status 1): uniwasm-runtime would keep a 2 as the module's verdict
                throw e;
            } catch (ImageException e) {
                throw new UsageException(wasm + ": cannot build an image: " + e.getMessage());
            }
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(objectFile);
            deleteQuietly(partial);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stray temporary file in the output folder is harmless
        }
    }
}
