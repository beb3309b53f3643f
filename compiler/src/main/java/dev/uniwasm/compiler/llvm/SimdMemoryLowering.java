package dev.uniwasm.compiler.llvm;

import static dev.uniwasm.compiler.llvm.SimdLowering.*;
import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Opcode;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * v128 loads and stores: whole vectors, extending loads, splat and zero-filling loads, and single-lane
 * loads and stores; how many bytes each reads or writes is its {@link Opcode} row's width. Like scalar accesses they carry no bounds check (see {@link MemoryLowering}); the
 * alignment immediate is only a hint in Wasm, so every access is emitted with alignment 1.
 */
final class SimdMemoryLowering {
    private SimdMemoryLowering() {}

    static void lower(FunctionTranslator f, Opcode op, InstructionReader r) {
        LlvmTypes t = f.t;
        switch (op) {
            case V128_LOAD -> f.push(load(f, r, t.v128));
            case V128_STORE -> {
                LLVMValueRef value = f.pop();
                store(f, MemoryLowering.address(f, r), value);
            }
            case V128_LOAD8X8_S -> loadExtend(f, op, r, t.i8, true);
            case V128_LOAD8X8_U -> loadExtend(f, op, r, t.i8, false);
            case V128_LOAD16X4_S -> loadExtend(f, op, r, t.i16, true);
            case V128_LOAD16X4_U -> loadExtend(f, op, r, t.i16, false);
            case V128_LOAD32X2_S -> loadExtend(f, op, r, t.i32, true);
            case V128_LOAD32X2_U -> loadExtend(f, op, r, t.i32, false);
            case V128_LOAD8_SPLAT, V128_LOAD16_SPLAT, V128_LOAD32_SPLAT, V128_LOAD64_SPLAT -> {
                LLVMTypeRef shape = t.integerLanes(op.width());
                pushV128(f, splat(f, shape, load(f, r, laneType(shape))));
            }
            case V128_LOAD32_ZERO, V128_LOAD64_ZERO -> loadZero(f, r, t.integerLanes(op.width()));
            case V128_LOAD8_LANE, V128_LOAD16_LANE, V128_LOAD32_LANE, V128_LOAD64_LANE ->
                loadLane(f, r, t.integerLanes(op.width()));
            case V128_STORE8_LANE, V128_STORE16_LANE, V128_STORE32_LANE, V128_STORE64_LANE ->
                storeLane(f, r, t.integerLanes(op.width()));
            default -> throw f.unsupported(op);
        }
    }

    /** Pops the index and loads a value of `type` from it. */
    private static LLVMValueRef load(FunctionTranslator f, InstructionReader r, LLVMTypeRef type) {
        LLVMValueRef v = LLVMBuildLoad2(f.b, type, MemoryLowering.address(f, r), "");
        LLVMSetAlignment(v, 1);
        return v;
    }

    private static void store(FunctionTranslator f, LLVMValueRef address, LLVMValueRef value) {
        LLVMValueRef st = LLVMBuildStore(f.b, value, address);
        LLVMSetAlignment(st, 1);
    }

    /** The row's width of narrow lanes (64 bits), each sign- or zero-extended to twice its width. */
    private static void loadExtend(
            FunctionTranslator f, Opcode op, InstructionReader r, LLVMTypeRef lane, boolean signed) {
        int count = 8 * op.width() / LLVMGetIntTypeWidth(lane);
        LLVMTypeRef narrow = vectorOf(lane, count);
        LLVMValueRef v = load(f, r, narrow);
        LLVMTypeRef wide = widened(f, narrow, count);
        pushV128(f, signed ? LLVMBuildSExt(f.b, v, wide, "") : LLVMBuildZExt(f.b, v, wide, ""));
    }

    /** One scalar into lane 0, all other lanes zero. */
    private static void loadZero(FunctionTranslator f, InstructionReader r, LLVMTypeRef shape) {
        LLVMValueRef scalar = load(f, r, laneType(shape));
        pushV128(f, LLVMBuildInsertElement(f.b, LLVMConstNull(shape), scalar, f.i32(0), ""));
    }

    /** Operands: the index, then the vector whose lane is replaced by the loaded value. */
    private static void loadLane(FunctionTranslator f, InstructionReader r, LLVMTypeRef shape) {
        checkLane(f, r, shape);
        LLVMValueRef vector = popAs(f, shape);
        LLVMValueRef scalar = load(f, r, laneType(shape));
        pushV128(f, LLVMBuildInsertElement(f.b, vector, scalar, f.i32(r.lane), ""));
    }

    private static void storeLane(FunctionTranslator f, InstructionReader r, LLVMTypeRef shape) {
        checkLane(f, r, shape);
        LLVMValueRef vector = popAs(f, shape);
        LLVMValueRef scalar = LLVMBuildExtractElement(f.b, vector, f.i32(r.lane), "");
        store(f, MemoryLowering.address(f, r), scalar);
    }
}
