package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.compiler.CompileException;
import dev.uniwasm.compiler.CompileOptions;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMPassBuilderOptionsRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTargetRef;

/** Verifies, optimises and emits an LLVM module as an x86-64 ELF relocatable object. */
final class ObjectEmitter {
    static final String TRIPLE = "x86_64-unknown-linux-gnu";
    private static boolean initialised;

    private ObjectEmitter() {}

    static synchronized void initialiseTargets() {
        if (!initialised) {
            LLVMInitializeX86TargetInfo();
            LLVMInitializeX86Target();
            LLVMInitializeX86TargetMC();
            LLVMInitializeX86AsmPrinter();
            LLVMInitializeX86AsmParser();
            initialised = true;
        }
    }

    static LLVMTargetMachineRef targetMachine(CompileOptions options) {
        initialiseTargets();
        LLVMTargetRef target = new LLVMTargetRef();
        BytePointer error = new BytePointer();
        if (LLVMGetTargetFromTriple(new BytePointer(TRIPLE), target, error) != 0) {
            throw new CompileException("LLVM has no x86-64 target: " + error.getString());
        }
        String cpu = options.cpu();
        String features = "";
        if (cpu.equals("native")) {
            cpu = LLVMGetHostCPUName().getString();
            features = LLVMGetHostCPUFeatures().getString();
        }
        int level = switch (options.optLevel()) {
            case 0 -> LLVMCodeGenLevelNone;
            case 1 -> LLVMCodeGenLevelLess;
            case 2 -> LLVMCodeGenLevelDefault;
            default -> LLVMCodeGenLevelAggressive;
        };
        // PIC code links both into the kernel image and into the test host's shared objects.
        return LLVMCreateTargetMachine(target, TRIPLE, cpu, features, level, LLVMRelocPIC, LLVMCodeModelSmall);
    }

    static byte[] emit(LLVMModuleRef module, CompileOptions options) {
        LLVMTargetMachineRef tm = targetMachine(options);
        try {
            LLVMSetTarget(module, TRIPLE);
            LLVMSetModuleDataLayout(module, LLVMCreateTargetDataLayout(tm));
            BytePointer message = new BytePointer();
            if (LLVMVerifyModule(module, LLVMReturnStatusAction, message) != 0) {
                String text = message.getString();
                LLVMDisposeMessage(message);
                throw new CompileException("internal error: generated LLVM IR is invalid: " + text);
            }
            LLVMPassBuilderOptionsRef pbo = LLVMCreatePassBuilderOptions();
            try {
                LLVMErrorRef err = LLVMRunPasses(module, "default<O" + options.optLevel() + ">", tm, pbo);
                if (err != null && !err.isNull()) {
                    throw new CompileException("LLVM optimisation failed: "
                            + LLVMGetErrorMessage(err).getString());
                }
            } finally {
                LLVMDisposePassBuilderOptions(pbo);
            }
            LLVMMemoryBufferRef buffer = new LLVMMemoryBufferRef();
            BytePointer error = new BytePointer();
            if (LLVMTargetMachineEmitToMemoryBuffer(tm, module, LLVMObjectFile, error, buffer) != 0) {
                throw new CompileException("LLVM code generation failed: " + error.getString());
            }
            try {
                BytePointer start = LLVMGetBufferStart(buffer);
                byte[] out = new byte[(int) LLVMGetBufferSize(buffer)];
                start.capacity(out.length).get(out);
                return out;
            } finally {
                LLVMDisposeMemoryBuffer(buffer);
            }
        } finally {
            LLVMDisposeTargetMachine(tm);
        }
    }
}
