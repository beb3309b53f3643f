package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/** LLVM intrinsic declarations of one module, looked up once per name and overload. */
final class Intrinsics {
    private record Decl(LLVMValueRef fn, LLVMTypeRef type) {}

    private final LLVMModuleRef module;
    private final LlvmTypes t;
    private final Map<String, Decl> cache = new HashMap<>();

    Intrinsics(LLVMModuleRef module, LlvmTypes t) {
        this.module = module;
        this.t = t;
    }

    LLVMValueRef call(LLVMBuilderRef b, String name, LLVMTypeRef[] overloads, LLVMValueRef... args) {
        StringBuilder key = new StringBuilder(name);
        for (LLVMTypeRef o : overloads) key.append('|').append(o.address());
        Decl d = cache.computeIfAbsent(key.toString(), k -> {
            int id = LLVMLookupIntrinsicID(name, name.length());
            if (id == 0) throw new IllegalStateException("unknown LLVM intrinsic " + name);
            PointerPointer<LLVMTypeRef> types = new PointerPointer<>(overloads);
            return new Decl(
                    LLVMGetIntrinsicDeclaration(module, id, types, overloads.length),
                    LLVMIntrinsicGetType(t.ctx, id, types, overloads.length));
        });
        return LLVMBuildCall2(b, d.type(), d.fn(), new PointerPointer<>(args), args.length, "");
    }
}
