package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import org.bytedeco.llvm.LLVM.LLVMAttributeRef;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

final class Attributes {
    private Attributes() {}

    static LLVMAttributeRef enumAttr(LLVMContextRef ctx, String name) {
        int kind = LLVMGetEnumAttributeKindForName(name, name.length());
        if (kind == 0) throw new IllegalStateException("unknown LLVM attribute " + name);
        return LLVMCreateEnumAttribute(ctx, kind, 0);
    }

    static void addFn(LLVMValueRef fn, LLVMContextRef ctx, String name) {
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, enumAttr(ctx, name));
    }

    static void addFnString(LLVMValueRef fn, LLVMContextRef ctx, String key, String value) {
        LLVMAddAttributeAtIndex(
                fn,
                LLVMAttributeFunctionIndex,
                LLVMCreateStringAttribute(ctx, key, key.length(), value, value.length()));
    }
}
