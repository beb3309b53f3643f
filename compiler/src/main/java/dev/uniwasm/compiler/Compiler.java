package dev.uniwasm.compiler;

import dev.uniwasm.compiler.llvm.LlvmBackend;
import dev.uniwasm.wasm.InvalidModuleException;
import dev.uniwasm.wasm.Module;
import dev.uniwasm.wasm.ModuleDecoder;
import dev.uniwasm.wasm.Validator;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Compiles a binary Wasm module to an x86-64 ELF relocatable object implementing docs/ABI.md:
 * one global symbol {@code uw_module} (the descriptor), everything else internal.
 */
public final class Compiler {
    private static final int PARALLEL_VALIDATION_THRESHOLD = 1000;
    private final CompileOptions options;
    private CompileProgress progress = CompileProgress.NONE;

    public Compiler(CompileOptions options) {
        this.options = options;
    }

    /** Reports functions compiled so far (from compiler threads). */
    public Compiler onProgress(CompileProgress listener) {
        this.progress = listener;
        return this;
    }

    public CompileOptions options() {
        return options;
    }

    /**
     * Decodes and validates; throws MalformedModuleException, LimitExceededException or
     * InvalidModuleException.
     */
    public Module decodeAndValidate(byte[] wasm) {
        return decodeAndValidate(wasm, m -> {});
    }

    /**
     * The same, running {@code check} after the module-level validation and before the function
     * bodies are validated, which is most of the time for a large module: a check of what the
     * module imports can fail fast on it.
     */
    public Module decodeAndValidate(byte[] wasm, Consumer<Module> check) {
        Module module = ModuleDecoder.decode(wasm, options.features());
        Validator.validateModuleLevel(module, options.features());
        check.accept(module);
        if (module.bodies.size() < PARALLEL_VALIDATION_THRESHOLD) {
            for (int f = module.numImportedFuncs; f < module.numFuncs(); f++) {
                Validator.validateFunction(module, options.features(), f);
            }
            return module;
        }
        // Function bodies validate independently; of several errors, report the first in the file.
        Optional<InvalidModuleException> first = IntStream.range(module.numImportedFuncs, module.numFuncs())
                .parallel()
                .mapToObj(i -> {
                    try {
                        Validator.validateFunction(module, options.features(), i);
                        return null;
                    } catch (InvalidModuleException e) {
                        return e;
                    }
                })
                .filter(Objects::nonNull)
                .min(Comparator.comparingLong(InvalidModuleException::offset));
        if (first.isPresent()) throw first.get();
        return module;
    }

    /** Decodes, validates and compiles; returns the ELF object's bytes. */
    public byte[] compile(byte[] wasm) {
        return compile(decodeAndValidate(wasm));
    }

    /** Compiles a validated module, reusing the cache's object for identical input and options. */
    public byte[] compileCached(byte[] wasm, Module module, ObjectCache cache) {
        return cache.getOrCompile(wasm, options, () -> compile(module));
    }

    /** Compiles an already validated module. */
    public byte[] compile(Module module) {
        return LlvmBackend.compile(module, options, progress);
    }
}
