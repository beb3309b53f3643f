package dev.uniwasm.cli;

import dev.uniwasm.compiler.Compiler;
import dev.uniwasm.image.ImageException;
import dev.uniwasm.image.ImageLinker;
import dev.uniwasm.wasm.InvalidModuleException;
import dev.uniwasm.wasm.LimitExceededException;
import dev.uniwasm.wasm.MalformedModuleException;
import dev.uniwasm.wasm.Module;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Decodes and validates a module, turning its errors into one line naming the file and offset. */
final class ModuleLoader {
    private ModuleLoader() {}

    static Module load(Compiler compiler, Path file, byte[] bytes) {
        return load(compiler, file, bytes, m -> {});
    }

    /**
     * Loads a module to be built into an image: what the kernel cannot link (an import it does not
     * provide, no {@code _start}) is reported before the function bodies are validated and long
     * before the compile, which takes minutes for a large program.
     */
    static Module loadForImage(Compiler compiler, Path file, byte[] bytes) {
        return load(compiler, file, bytes, m -> {
            try {
                ImageLinker.checkLinkable(m);
            } catch (ImageException e) {
                throw new UsageException(file + ": cannot build an image: " + e.getMessage());
            }
        });
    }

    private static Module load(Compiler compiler, Path file, byte[] bytes, Consumer<Module> check) {
        try {
            return compiler.decodeAndValidate(bytes, check);
        } catch (MalformedModuleException e) {
            throw new UsageException(file + ": malformed module " + e.getMessage());
        } catch (LimitExceededException e) {
            throw new UsageException(file + ": module beyond uniwasm's limits " + e.getMessage());
        } catch (InvalidModuleException e) {
            throw new UsageException(file + ": invalid module " + e.getMessage());
        }
    }
}
