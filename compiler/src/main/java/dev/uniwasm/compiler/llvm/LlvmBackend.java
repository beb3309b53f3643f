package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.compiler.CompileException;
import dev.uniwasm.compiler.CompileOptions;
import dev.uniwasm.compiler.CompileProgress;
import dev.uniwasm.toolchain.Toolchain;
import dev.uniwasm.wasm.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;

/**
 * Entry point of the LLVM back end: Wasm module in, ELF object bytes out. Small modules become one
 * LLVM module (all functions internal); big ones are split into partitions compiled on all cores,
 * each in its own LLVM context, and merged with {@code ld.lld -r} into one relocatable object.
 */
public final class LlvmBackend {
    /** Modules with less code than this are compiled as one LLVM module. */
    private static final int SPLIT_THRESHOLD = 256 * 1024;

    private static final int MAX_PARTITION_BYTES = 512 * 1024;
    private static final int MIN_PARTITION_BYTES = 64 * 1024;

    private LlvmBackend() {}

    public static byte[] compile(Module module, CompileOptions options, CompileProgress progress) {
        int threads =
                options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
        List<Partition> partitions = partition(module, threads);
        int total = module.numFuncs() - module.numImportedFuncs;
        if (partitions.size() == 1) {
            byte[] object = compilePartition(module, options, partitions.get(0));
            progress.functionsDone(total, total);
            return object;
        }
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, partitions.size()));
        try {
            List<Future<byte[]>> objects = new ArrayList<>();
            for (Partition p : partitions) {
                objects.add(pool.submit(() -> {
                    byte[] object = compilePartition(module, options, p);
                    progress.functionsDone(done.addAndGet(p.size()), total);
                    return object;
                }));
            }
            List<byte[]> results = new ArrayList<>();
            for (Future<byte[]> f : objects) results.add(f.get());
            return mergeObjects(results);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new CompileException("compilation failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompileException("compilation interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Splits the defined functions into contiguous ranges of roughly equal code size. */
    static List<Partition> partition(Module m, int threads) {
        long totalBytes = 0;
        for (var body : m.bodies) totalBytes += body.codeEnd() - body.codeStart();
        if (totalBytes < SPLIT_THRESHOLD || threads <= 1 && totalBytes < 4L * MAX_PARTITION_BYTES) {
            return List.of(Partition.whole(m));
        }
        long target = Math.max(MIN_PARTITION_BYTES, Math.min(MAX_PARTITION_BYTES, totalBytes / (threads * 4L)));
        List<Partition> parts = new ArrayList<>();
        int start = m.numImportedFuncs;
        long size = 0;
        for (int i = m.numImportedFuncs; i < m.numFuncs(); i++) {
            var body = m.body(i);
            size += body.codeEnd() - body.codeStart();
            if (size >= target || i == m.numFuncs() - 1) {
                parts.add(new Partition(start, i + 1, parts.isEmpty(), false));
                start = i + 1;
                size = 0;
            }
        }
        return parts;
    }

    private static byte[] compilePartition(Module module, CompileOptions options, Partition partition) {
        LLVMContextRef context = LLVMContextCreate();
        try {
            LLVMModuleRef llvmModule = new ModuleTranslator(module, options, context, partition).translate();
            try {
                return ObjectEmitter.emit(llvmModule, options);
            } finally {
                LLVMDisposeModule(llvmModule);
            }
        } finally {
            LLVMContextDispose(context);
        }
    }

    private static byte[] mergeObjects(List<byte[]> objects) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("uniwasm-parts");
            List<String> cmd = new ArrayList<>(List.of(
                    Toolchain.ldLld().toString(),
                    "-r",
                    "-o",
                    dir.resolve("merged.o").toString()));
            for (int i = 0; i < objects.size(); i++) {
                Path part = dir.resolve("part" + i + ".o");
                Files.write(part, objects.get(i));
                cmd.add(part.toString());
            }
            Toolchain.run(cmd);
            return Files.readAllBytes(dir.resolve("merged.o"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    /** The module's LLVM IR after translation (before optimisation), for debugging. */
    public static String textualIr(Module module, CompileOptions options) {
        LLVMContextRef context = LLVMContextCreate();
        try {
            LLVMModuleRef llvmModule =
                    new ModuleTranslator(module, options, context, Partition.whole(module)).translate();
            try {
                var text = LLVMPrintModuleToString(llvmModule);
                String s = text.getString();
                LLVMDisposeMessage(text);
                return s;
            } finally {
                LLVMDisposeModule(llvmModule);
            }
        } finally {
            LLVMContextDispose(context);
        }
    }
}
