package dev.uniwasm.compiler.llvm;

import static dev.uniwasm.compiler.llvm.SimdLowering.*;
import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Opcode;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/** Building and taking apart vectors: constants, shuffles, swizzle, splats, lane extract/replace. */
final class SimdLaneLowering {
    private SimdLaneLowering() {}

    static void lower(FunctionTranslator f, Opcode op, InstructionReader r) {
        LlvmTypes t = f.t;
        switch (op) {
            case V128_CONST -> {
                LLVMValueRef[] halves = {LLVMConstInt(t.i64, r.constBits, 0), LLVMConstInt(t.i64, r.constBitsHigh, 0)};
                f.push(LLVMConstVector(new PointerPointer<>(halves), 2));
            }
            case I8X16_SHUFFLE -> shuffleBytes(f, r);
            case I8X16_SWIZZLE -> swizzle(f);

            case I8X16_SPLAT -> pushV128(f, splat(f, t.i8x16, LLVMBuildTrunc(f.b, f.pop(), t.i8, "")));
            case I16X8_SPLAT -> pushV128(f, splat(f, t.i16x8, LLVMBuildTrunc(f.b, f.pop(), t.i16, "")));
            case I32X4_SPLAT -> pushV128(f, splat(f, t.i32x4, f.pop()));
            case I64X2_SPLAT -> pushV128(f, splat(f, t.i64x2, f.pop()));
            case F32X4_SPLAT -> pushV128(f, splat(f, t.f32x4, f.pop()));
            case F64X2_SPLAT -> pushV128(f, splat(f, t.f64x2, f.pop()));

            case I8X16_EXTRACT_LANE_S -> f.push(LLVMBuildSExt(f.b, extract(f, r, t.i8x16), t.i32, ""));
            case I8X16_EXTRACT_LANE_U -> f.push(LLVMBuildZExt(f.b, extract(f, r, t.i8x16), t.i32, ""));
            case I16X8_EXTRACT_LANE_S -> f.push(LLVMBuildSExt(f.b, extract(f, r, t.i16x8), t.i32, ""));
            case I16X8_EXTRACT_LANE_U -> f.push(LLVMBuildZExt(f.b, extract(f, r, t.i16x8), t.i32, ""));
            case I32X4_EXTRACT_LANE -> f.push(extract(f, r, t.i32x4));
            case I64X2_EXTRACT_LANE -> f.push(extract(f, r, t.i64x2));
            case F32X4_EXTRACT_LANE -> f.push(extract(f, r, t.f32x4));
            case F64X2_EXTRACT_LANE -> f.push(extract(f, r, t.f64x2));

            case I8X16_REPLACE_LANE -> replace(f, r, t.i8x16);
            case I16X8_REPLACE_LANE -> replace(f, r, t.i16x8);
            case I32X4_REPLACE_LANE -> replace(f, r, t.i32x4);
            case I64X2_REPLACE_LANE -> replace(f, r, t.i64x2);
            case F32X4_REPLACE_LANE -> replace(f, r, t.f32x4);
            case F64X2_REPLACE_LANE -> replace(f, r, t.f64x2);
            default -> throw f.unsupported(op);
        }
    }

    /** i8x16.shuffle: 16 immediate byte indices into the 32 bytes of a ++ b. */
    private static void shuffleBytes(FunctionTranslator f, InstructionReader r) {
        int[] mask = new int[16];
        for (int i = 0; i < 16; i++) {
            long half = i < 8 ? r.constBits : r.constBitsHigh;
            mask[i] = (int) ((half >>> (8 * (i % 8))) & 0xFF);
            if (mask[i] >= 32)
                throw f.error("i8x16.shuffle lane index " + mask[i] + " at lane " + i + " is not below 32");
        }
        LLVMValueRef b = popAs(f, f.t.i8x16);
        LLVMValueRef a = popAs(f, f.t.i8x16);
        pushV128(f, shuffle(f, a, b, mask));
    }

    /**
     * i8x16.swizzle: lane i = a[s[i]], or 0 when s[i] >= 16. LLVM IR has no variable byte shuffle, so
     * this uses SSSE3 pshufb, which every supported CPU level (x86-64-v2 and up) has. pshufb zeroes a
     * lane when bit 7 of its index is set and otherwise uses the low four bits; adding 0x70 with
     * unsigned saturation keeps the low four bits of 0..15 with bit 7 clear and sets bit 7 for 16..255.
     */
    private static void swizzle(FunctionTranslator f) {
        LLVMValueRef s = popAs(f, f.t.i8x16);
        LLVMValueRef a = popAs(f, f.t.i8x16);
        LLVMValueRef index = intrinsic2(f, "llvm.uadd.sat", s, constSplat(f.t.i8x16, 0x70));
        pushV128(f, f.intrinsic("llvm.x86.ssse3.pshuf.b.128", new LLVMTypeRef[0], a, index));
    }

    private static LLVMValueRef extract(FunctionTranslator f, InstructionReader r, LLVMTypeRef shape) {
        checkLane(f, r, shape);
        return LLVMBuildExtractElement(f.b, popAs(f, shape), f.i32(r.lane), "");
    }

    /** Operands: the vector, then the scalar (i32 for the narrow integer shapes, truncated). */
    private static void replace(FunctionTranslator f, InstructionReader r, LLVMTypeRef shape) {
        checkLane(f, r, shape);
        LLVMValueRef scalar = f.pop();
        LLVMTypeRef lane = laneType(shape);
        if (!LLVMTypeOf(scalar).equals(lane)) scalar = LLVMBuildTrunc(f.b, scalar, lane, "");
        LLVMValueRef vector = popAs(f, shape);
        pushV128(f, LLVMBuildInsertElement(f.b, vector, scalar, f.i32(r.lane), ""));
    }
}
