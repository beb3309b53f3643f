package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Opcode;
import dev.uniwasm.wasm.ValType;
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

    static void lower(FunctionTranslator f, Opcode op, InstructionReader r) {
        LlvmTypes t = f.t;
        switch (op) {
            case I32_LOAD,
                    I64_LOAD,
                    F32_LOAD,
                    F64_LOAD,
                    I32_LOAD8_U,
                    I32_LOAD16_U,
                    I64_LOAD8_U,
                    I64_LOAD16_U,
                    I64_LOAD32_U -> load(f, op, r, false);
            case I32_LOAD8_S, I32_LOAD16_S, I64_LOAD8_S, I64_LOAD16_S, I64_LOAD32_S -> load(f, op, r, true);
            case I32_STORE,
                    I64_STORE,
                    F32_STORE,
                    F64_STORE,
                    I32_STORE8,
                    I32_STORE16,
                    I64_STORE8,
                    I64_STORE16,
                    I64_STORE32 -> store(f, op, r);
            case MEMORY_SIZE -> {
                LLVMValueRef size =
                        LLVMBuildLoad2(f.b, t.i64, f.gep(f.memoryObject(r.memoryIndex), Abi.MEMORY_SIZE), "");
                LLVMSetAlignment(size, 8);
                f.push(LLVMBuildTrunc(f.b, LLVMBuildLShr(f.b, size, f.i64(16), ""), t.i32, ""));
            }
            case MEMORY_GROW -> f.push(f.callRuntime("uw_memory_grow", f.vmctx, f.i32(r.memoryIndex), f.pop()));
            case MEMORY_INIT -> {
                LLVMValueRef n = f.pop(), src = f.pop(), dst = f.pop();
                f.callRuntime("uw_memory_init", f.vmctx, f.i32(r.memoryIndex), f.i32(r.dataIndex), dst, src, n);
            }
            case DATA_DROP -> f.callRuntime("uw_data_drop", f.vmctx, f.i32(r.dataIndex));
            case MEMORY_COPY -> {
                LLVMValueRef n = f.pop(), src = f.pop(), dst = f.pop();
                f.callRuntime("uw_memory_copy", f.vmctx, f.i32(r.dstMemory), f.i32(r.srcMemory), dst, src, n);
            }
            case MEMORY_FILL -> {
                LLVMValueRef n = f.pop(), value = f.pop(), dst = f.pop();
                f.callRuntime("uw_memory_fill", f.vmctx, f.i32(r.memoryIndex), dst, value, n);
            }
            default -> throw f.unsupported(op);
        }
    }

    /** The host address of a memory access: pops the i32 index. */
    static LLVMValueRef address(FunctionTranslator f, InstructionReader r) {
        LLVMValueRef index = LLVMBuildZExt(f.b, f.pop(), f.t.i64, "");
        LLVMValueRef ea = r.memOffset == 0 ? index : LLVMBuildAdd(f.b, index, f.i64(r.memOffset), "");
        return f.gep(f.memoryBase(r.memoryIndex), ea);
    }

    /** Loads the row's width; narrower than the result type, extends it. */
    private static void load(FunctionTranslator f, Opcode op, InstructionReader r, boolean signExtend) {
        LLVMTypeRef resultType = f.t.of(op.result());
        LLVMTypeRef memType = bytes(op.result()) == op.width() ? resultType : f.t.integer(op.width());
        LLVMValueRef v = LLVMBuildLoad2(f.b, memType, address(f, r), "");
        LLVMSetAlignment(v, 1);
        if (!memType.equals(resultType)) {
            v = signExtend ? LLVMBuildSExt(f.b, v, resultType, "") : LLVMBuildZExt(f.b, v, resultType, "");
        }
        f.push(v);
    }

    /** Stores the popped value (the second operand), truncated to the row's width when that is narrower. */
    private static void store(FunctionTranslator f, Opcode op, InstructionReader r) {
        LLVMValueRef value = f.pop();
        if (bytes(op.operand(1)) > op.width()) value = LLVMBuildTrunc(f.b, value, f.t.integer(op.width()), "");
        LLVMValueRef st = LLVMBuildStore(f.b, value, address(f, r));
        LLVMSetAlignment(st, 1);
    }

    /** Size of a scalar number type. */
    private static int bytes(ValType t) {
        return t == ValType.I32 || t == ValType.F32 ? 4 : 8;
    }
}
