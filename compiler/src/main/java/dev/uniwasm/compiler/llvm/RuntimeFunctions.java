package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/** Declarations of the C runtime's entry points (runtime.h, section 1) in one LLVM module. */
final class RuntimeFunctions {
    record Fn(LLVMValueRef value, LLVMTypeRef type) {}

    private final LLVMModuleRef module;
    private final LlvmTypes t;
    private final Map<String, Fn> declared = new HashMap<>();

    RuntimeFunctions(LLVMModuleRef module, LlvmTypes t) {
        this.module = module;
        this.t = t;
    }

    Fn get(String name) {
        return declared.computeIfAbsent(name, this::declare);
    }

    private Fn declare(String name) {
        LLVMTypeRef p = t.ptr, i = t.i32, v = t.voidT;
        LLVMTypeRef type = switch (name) {
            case "uw_trap" -> t.fn(v, p, i);
            case "uw_memory_grow" -> t.fn(i, p, i, i);
            case "uw_memory_init", "uw_memory_copy", "uw_table_init", "uw_table_copy" -> t.fn(v, p, i, i, i, i, i);
            case "uw_memory_fill" -> t.fn(v, p, i, i, i, i);
            case "uw_data_drop", "uw_elem_drop" -> t.fn(v, p, i);
            case "uw_table_get" -> t.fn(p, p, i, i);
            case "uw_table_set" -> t.fn(v, p, i, i, p);
            case "uw_table_grow" -> t.fn(i, p, i, p, i);
            case "uw_table_fill" -> t.fn(v, p, i, i, p, i);
            default -> throw new IllegalArgumentException("no runtime function " + name);
        };
        LLVMValueRef fn = LLVMAddFunction(module, name, type);
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, Attributes.enumAttr(t.ctx, "nounwind"));
        if (name.equals("uw_trap")) {
            LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, Attributes.enumAttr(t.ctx, "noreturn"));
            LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, Attributes.enumAttr(t.ctx, "cold"));
        }
        return new Fn(fn, type);
    }
}
