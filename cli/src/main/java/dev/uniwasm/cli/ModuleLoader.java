package dev.uniwasm.cli;

import dev.uniwasm.compiler.Compiler;
import dev.uniwasm.wasm.InvalidModuleException;
import dev.uniwasm.wasm.MalformedModuleException;
import dev.uniwasm.wasm.Module;
import java.nio.file.Path;

/** Decodes and validates a module, turning its errors into one line naming the file and offset. */
final class ModuleLoader {
    private ModuleLoader() {}

    static Module load(Compiler compiler, Path file, byte[] bytes) {
        try {
            return compiler.decodeAndValidate(bytes);
        } catch (MalformedModuleException e) {
            throw new UsageException(file + ": malformed module " + e.getMessage());
        } catch (InvalidModuleException e) {
            throw new UsageException(file + ": invalid module " + e.getMessage());
        }
    }
}
