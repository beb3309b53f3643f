package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.compiler.CompileOptions;
import dev.uniwasm.wasm.Module;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;

/** Entry point of the LLVM back end: Wasm module in, ELF object bytes out. */
public final class LlvmBackend {
    private LlvmBackend() {}

    public static byte[] compile(Module module, CompileOptions options) {
        LLVMContextRef context = LLVMContextCreate();
        try {
            LLVMModuleRef llvmModule = new ModuleTranslator(module, options, context).translate();
            try {
                return ObjectEmitter.emit(llvmModule, options);
            } finally {
                LLVMDisposeModule(llvmModule);
            }
        } finally {
            LLVMContextDispose(context);
        }
    }

    /** The module's LLVM IR after translation (before optimisation), for debugging. */
    public static String textualIr(Module module, CompileOptions options) {
        LLVMContextRef context = LLVMContextCreate();
        try {
            LLVMModuleRef llvmModule = new ModuleTranslator(module, options, context).translate();
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
