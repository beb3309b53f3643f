package dev.uniwasm.compiler.llvm;

import static dev.uniwasm.compiler.llvm.SimdLowering.*;
import static dev.uniwasm.wasm.Opcodes.*;
import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.wasm.InstructionReader;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * v128 loads and stores: whole vectors, extending loads, splat and zero-filling loads, and single-lane
 * loads and stores. Like scalar accesses they carry no bounds check (see {@link MemoryLowering}); the
 * alignment immediate is only a hint in Wasm, so every access is emitted with alignment 1.
 */
final class SimdMemoryLowering {
    private SimdMemoryLowering() {}

    static boolean lower(FunctionTranslator f, int op, InstructionReader r) {
        LlvmTypes t = f.t;
        switch (op) {
            case V128_LOAD -> f.push(load(f, r, t.v128));
            case V128_STORE -> {
                LLVMValueRef value = f.pop();
                store(f, MemoryLowering.address(f, r), value);
            }
            case V128_LOAD8X8_S -> loadExtend(f, r, t.i8, true);
            case V128_LOAD8X8_U -> loadExtend(f, r, t.i8, false);
            case V128_LOAD16X4_S -> loadExtend(f, r, t.i16, true);
            case V128_LOAD16X4_U -> loadExtend(f, r, t.i16, false);
            case V128_LOAD32X2_S -> loadExtend(f, r, t.i32, true);
            case V128_LOAD32X2_U -> loadExtend(f, r, t.i32, false);
            case V128_LOAD8_SPLAT -> pushV128(f, splat(f, t.i8x16, load(f, r, t.i8)));
            case V128_LOAD16_SPLAT -> pushV128(f, splat(f, t.i16x8, load(f, r, t.i16)));
            case V128_LOAD32_SPLAT -> pushV128(f, splat(f, t.i32x4, load(f, r, t.i32)));
            case V128_LOAD64_SPLAT -> pushV128(f, splat(f, t.i64x2, load(f, r, t.i64)));
            case V128_LOAD32_ZERO -> loadZero(f, r, t.i32x4);
            case V128_LOAD64_ZERO -> loadZero(f, r, t.i64x2);
            case V128_LOAD8_LANE -> loadLane(f, r, t.i8x16);
            case V128_LOAD16_LANE -> loadLane(f, r, t.i16x8);
            case V128_LOAD32_LANE -> loadLane(f, r, t.i32x4);
            case V128_LOAD64_LANE -> loadLane(f, r, t.i64x2);
            case V128_STORE8_LANE -> storeLane(f, r, t.i8x16);
            case V128_STORE16_LANE -> storeLane(f, r, t.i16x8);
            case V128_STORE32_LANE -> storeLane(f, r, t.i32x4);
            case V128_STORE64_LANE -> storeLane(f, r, t.i64x2);
            default -> {
                return false;
            }
        }
        return true;
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

    /** 64 bits of narrow lanes, each sign- or zero-extended to twice its width. */
    private static void loadExtend(FunctionTranslator f, InstructionReader r, LLVMTypeRef lane, boolean signed) {
        int count = 64 / LLVMGetIntTypeWidth(lane);
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
