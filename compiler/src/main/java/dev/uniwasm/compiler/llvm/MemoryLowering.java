package dev.uniwasm.compiler.llvm;

import static dev.uniwasm.wasm.Opcodes.*;
import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.wasm.InstructionReader;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Linear-memory instructions. Loads and stores carry no bounds check: the effective address is
 * base + zext(index) + offset, which always falls inside the memory's 8 GiB reservation, and the
 * unmapped part of the reservation turns an out-of-bounds access into a fault that the embedder
 * reports as "out of bounds memory access".
 */
final class MemoryLowering {
    private MemoryLowering() {}

    static boolean lower(FunctionTranslator f, int op, InstructionReader r) {
        LlvmTypes t = f.t;
        switch (op) {
            case I32_LOAD -> load(f, r, t.i32, t.i32, false);
            case I64_LOAD -> load(f, r, t.i64, t.i64, false);
            case F32_LOAD -> load(f, r, t.f32, t.f32, false);
            case F64_LOAD -> load(f, r, t.f64, t.f64, false);
            case I32_LOAD8_S -> load(f, r, t.i8, t.i32, true);
            case I32_LOAD8_U -> load(f, r, t.i8, t.i32, false);
            case I32_LOAD16_S -> load(f, r, t.i16, t.i32, true);
            case I32_LOAD16_U -> load(f, r, t.i16, t.i32, false);
            case I64_LOAD8_S -> load(f, r, t.i8, t.i64, true);
            case I64_LOAD8_U -> load(f, r, t.i8, t.i64, false);
            case I64_LOAD16_S -> load(f, r, t.i16, t.i64, true);
            case I64_LOAD16_U -> load(f, r, t.i16, t.i64, false);
            case I64_LOAD32_S -> load(f, r, t.i32, t.i64, true);
            case I64_LOAD32_U -> load(f, r, t.i32, t.i64, false);
            case I32_STORE, I64_STORE, F32_STORE, F64_STORE -> store(f, r, null);
            case I32_STORE8, I64_STORE8 -> store(f, r, t.i8);
            case I32_STORE16, I64_STORE16 -> store(f, r, t.i16);
            case I64_STORE32 -> store(f, r, t.i32);
            case MEMORY_SIZE -> {
                LLVMValueRef size = LLVMBuildLoad2(f.b, t.i64, f.gep(f.memoryObject(r.index), Abi.MEMORY_SIZE), "");
                LLVMSetAlignment(size, 8);
                f.push(LLVMBuildTrunc(f.b, LLVMBuildLShr(f.b, size, f.i64(16), ""), t.i32, ""));
            }
            case MEMORY_GROW -> f.push(f.callRuntime("uw_memory_grow", f.vmctx, f.i32(r.index), f.pop()));
            case MEMORY_INIT -> {
                LLVMValueRef n = f.pop(), src = f.pop(), dst = f.pop();
                f.callRuntime("uw_memory_init", f.vmctx, f.i32(r.index2), f.i32(r.index), dst, src, n);
            }
            case DATA_DROP -> f.callRuntime("uw_data_drop", f.vmctx, f.i32(r.index));
            case MEMORY_COPY -> {
                LLVMValueRef n = f.pop(), src = f.pop(), dst = f.pop();
                f.callRuntime("uw_memory_copy", f.vmctx, f.i32(r.index), f.i32(r.index2), dst, src, n);
            }
            case MEMORY_FILL -> {
                LLVMValueRef n = f.pop(), value = f.pop(), dst = f.pop();
                f.callRuntime("uw_memory_fill", f.vmctx, f.i32(r.index), dst, value, n);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The host address of a memory access: pops the i32 index. */
    static LLVMValueRef address(FunctionTranslator f, InstructionReader r) {
        LLVMValueRef index = LLVMBuildZExt(f.b, f.pop(), f.t.i64, "");
        LLVMValueRef ea = r.memOffset == 0 ? index : LLVMBuildAdd(f.b, index, f.i64(r.memOffset), "");
        return f.gep(f.memoryBase(r.memIndex), ea);
    }

    private static void load(FunctionTranslator f, InstructionReader r, LLVMTypeRef memType,
                             LLVMTypeRef resultType, boolean signExtend) {
        LLVMValueRef v = LLVMBuildLoad2(f.b, memType, address(f, r), "");
        LLVMSetAlignment(v, 1);
        if (!memType.equals(resultType)) {
            v = signExtend ? LLVMBuildSExt(f.b, v, resultType, "") : LLVMBuildZExt(f.b, v, resultType, "");
        }
        f.push(v);
    }

    /** Stores the popped value, truncated to `narrow` when given. */
    private static void store(FunctionTranslator f, InstructionReader r, LLVMTypeRef narrow) {
        LLVMValueRef value = f.pop();
        if (narrow != null) value = LLVMBuildTrunc(f.b, value, narrow, "");
        LLVMValueRef st = LLVMBuildStore(f.b, value, address(f, r));
        LLVMSetAlignment(st, 1);
    }
}
