package dev.uniwasm.compiler.llvm;

import static dev.uniwasm.compiler.llvm.SimdLowering.*;
import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Opcode;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;
import org.bytedeco.llvm.global.LLVM;

/**
 * Bitwise v128 operations and integer lane arithmetic: comparisons, abs/neg/popcnt, reductions
 * (any_true, all_true, bitmask), shifts, saturating and widening arithmetic, narrowing.
 */
final class SimdIntegerLowering {
    private SimdIntegerLowering() {}

    private interface BinaryOp {
        LLVMValueRef build(LLVMBuilderRef b, LLVMValueRef x, LLVMValueRef y, String name);
    }

    private static final BinaryOp AND = LLVM::LLVMBuildAnd;
    private static final BinaryOp OR = LLVM::LLVMBuildOr;
    private static final BinaryOp XOR = LLVM::LLVMBuildXor;
    private static final BinaryOp ADD = LLVM::LLVMBuildAdd;
    private static final BinaryOp SUB = LLVM::LLVMBuildSub;
    private static final BinaryOp MUL = LLVM::LLVMBuildMul;
    private static final BinaryOp SHL = LLVM::LLVMBuildShl;
    private static final BinaryOp ASHR = LLVM::LLVMBuildAShr;
    private static final BinaryOp LSHR = LLVM::LLVMBuildLShr;

    static void lower(FunctionTranslator f, Opcode op, InstructionReader r) {
        LlvmTypes t = f.t;
        LLVMTypeRef s8 = t.i8x16, s16 = t.i16x8, s32 = t.i32x4, s64 = t.i64x2;
        switch (op) {
            case V128_NOT -> f.push(LLVMBuildNot(f.b, f.pop(), ""));
            case V128_AND -> binary(f, t.v128, AND);
            case V128_OR -> binary(f, t.v128, OR);
            case V128_XOR -> binary(f, t.v128, XOR);
            case V128_ANDNOT -> {
                LLVMValueRef y = f.pop(), x = f.pop();
                f.push(LLVMBuildAnd(f.b, x, LLVMBuildNot(f.b, y, ""), ""));
            }
            case V128_BITSELECT -> {
                LLVMValueRef c = f.pop(), y = f.pop(), x = f.pop();
                LLVMValueRef fromX = LLVMBuildAnd(f.b, x, c, "");
                LLVMValueRef fromY = LLVMBuildAnd(f.b, y, LLVMBuildNot(f.b, c, ""), "");
                f.push(LLVMBuildOr(f.b, fromX, fromY, ""));
            }
            case V128_ANY_TRUE -> {
                LLVMValueRef whole = LLVMBuildBitCast(f.b, f.pop(), LLVMIntTypeInContext(t.ctx, 128), "");
                LLVMValueRef nonZero = LLVMBuildICmp(f.b, LLVMIntNE, whole, LLVMConstNull(LLVMTypeOf(whole)), "");
                f.push(LLVMBuildZExt(f.b, nonZero, t.i32, ""));
            }

            case I8X16_EQ -> compare(f, s8, LLVMIntEQ);
            case I8X16_NE -> compare(f, s8, LLVMIntNE);
            case I8X16_LT_S -> compare(f, s8, LLVMIntSLT);
            case I8X16_LT_U -> compare(f, s8, LLVMIntULT);
            case I8X16_GT_S -> compare(f, s8, LLVMIntSGT);
            case I8X16_GT_U -> compare(f, s8, LLVMIntUGT);
            case I8X16_LE_S -> compare(f, s8, LLVMIntSLE);
            case I8X16_LE_U -> compare(f, s8, LLVMIntULE);
            case I8X16_GE_S -> compare(f, s8, LLVMIntSGE);
            case I8X16_GE_U -> compare(f, s8, LLVMIntUGE);
            case I16X8_EQ -> compare(f, s16, LLVMIntEQ);
            case I16X8_NE -> compare(f, s16, LLVMIntNE);
            case I16X8_LT_S -> compare(f, s16, LLVMIntSLT);
            case I16X8_LT_U -> compare(f, s16, LLVMIntULT);
            case I16X8_GT_S -> compare(f, s16, LLVMIntSGT);
            case I16X8_GT_U -> compare(f, s16, LLVMIntUGT);
            case I16X8_LE_S -> compare(f, s16, LLVMIntSLE);
            case I16X8_LE_U -> compare(f, s16, LLVMIntULE);
            case I16X8_GE_S -> compare(f, s16, LLVMIntSGE);
            case I16X8_GE_U -> compare(f, s16, LLVMIntUGE);
            case I32X4_EQ -> compare(f, s32, LLVMIntEQ);
            case I32X4_NE -> compare(f, s32, LLVMIntNE);
            case I32X4_LT_S -> compare(f, s32, LLVMIntSLT);
            case I32X4_LT_U -> compare(f, s32, LLVMIntULT);
            case I32X4_GT_S -> compare(f, s32, LLVMIntSGT);
            case I32X4_GT_U -> compare(f, s32, LLVMIntUGT);
            case I32X4_LE_S -> compare(f, s32, LLVMIntSLE);
            case I32X4_LE_U -> compare(f, s32, LLVMIntULE);
            case I32X4_GE_S -> compare(f, s32, LLVMIntSGE);
            case I32X4_GE_U -> compare(f, s32, LLVMIntUGE);
            case I64X2_EQ -> compare(f, s64, LLVMIntEQ);
            case I64X2_NE -> compare(f, s64, LLVMIntNE);
            case I64X2_LT_S -> compare(f, s64, LLVMIntSLT);
            case I64X2_GT_S -> compare(f, s64, LLVMIntSGT);
            case I64X2_LE_S -> compare(f, s64, LLVMIntSLE);
            case I64X2_GE_S -> compare(f, s64, LLVMIntSGE);

            case I8X16_ABS -> abs(f, s8);
            case I16X8_ABS -> abs(f, s16);
            case I32X4_ABS -> abs(f, s32);
            case I64X2_ABS -> abs(f, s64);
            case I8X16_NEG -> neg(f, s8);
            case I16X8_NEG -> neg(f, s16);
            case I32X4_NEG -> neg(f, s32);
            case I64X2_NEG -> neg(f, s64);
            case I8X16_POPCNT -> pushV128(f, intrinsic1(f, "llvm.ctpop", popAs(f, s8)));
            case I8X16_ALL_TRUE -> allTrue(f, s8);
            case I16X8_ALL_TRUE -> allTrue(f, s16);
            case I32X4_ALL_TRUE -> allTrue(f, s32);
            case I64X2_ALL_TRUE -> allTrue(f, s64);
            case I8X16_BITMASK -> bitmask(f, s8);
            case I16X8_BITMASK -> bitmask(f, s16);
            case I32X4_BITMASK -> bitmask(f, s32);
            case I64X2_BITMASK -> bitmask(f, s64);

            case I8X16_SHL -> shift(f, s8, SHL);
            case I8X16_SHR_S -> shift(f, s8, ASHR);
            case I8X16_SHR_U -> shift(f, s8, LSHR);
            case I16X8_SHL -> shift(f, s16, SHL);
            case I16X8_SHR_S -> shift(f, s16, ASHR);
            case I16X8_SHR_U -> shift(f, s16, LSHR);
            case I32X4_SHL -> shift(f, s32, SHL);
            case I32X4_SHR_S -> shift(f, s32, ASHR);
            case I32X4_SHR_U -> shift(f, s32, LSHR);
            case I64X2_SHL -> shift(f, s64, SHL);
            case I64X2_SHR_S -> shift(f, s64, ASHR);
            case I64X2_SHR_U -> shift(f, s64, LSHR);

            case I8X16_ADD -> binary(f, s8, ADD);
            case I16X8_ADD -> binary(f, s16, ADD);
            case I32X4_ADD -> binary(f, s32, ADD);
            case I64X2_ADD -> binary(f, s64, ADD);
            case I8X16_SUB -> binary(f, s8, SUB);
            case I16X8_SUB -> binary(f, s16, SUB);
            case I32X4_SUB -> binary(f, s32, SUB);
            case I64X2_SUB -> binary(f, s64, SUB);
            case I16X8_MUL -> binary(f, s16, MUL);
            case I32X4_MUL -> binary(f, s32, MUL);
            case I64X2_MUL -> binary(f, s64, MUL);

            case I8X16_ADD_SAT_S -> binaryIntrinsic(f, s8, "llvm.sadd.sat");
            case I8X16_ADD_SAT_U -> binaryIntrinsic(f, s8, "llvm.uadd.sat");
            case I8X16_SUB_SAT_S -> binaryIntrinsic(f, s8, "llvm.ssub.sat");
            case I8X16_SUB_SAT_U -> binaryIntrinsic(f, s8, "llvm.usub.sat");
            case I16X8_ADD_SAT_S -> binaryIntrinsic(f, s16, "llvm.sadd.sat");
            case I16X8_ADD_SAT_U -> binaryIntrinsic(f, s16, "llvm.uadd.sat");
            case I16X8_SUB_SAT_S -> binaryIntrinsic(f, s16, "llvm.ssub.sat");
            case I16X8_SUB_SAT_U -> binaryIntrinsic(f, s16, "llvm.usub.sat");

            case I8X16_MIN_S -> binaryIntrinsic(f, s8, "llvm.smin");
            case I8X16_MIN_U -> binaryIntrinsic(f, s8, "llvm.umin");
            case I8X16_MAX_S -> binaryIntrinsic(f, s8, "llvm.smax");
            case I8X16_MAX_U -> binaryIntrinsic(f, s8, "llvm.umax");
            case I16X8_MIN_S -> binaryIntrinsic(f, s16, "llvm.smin");
            case I16X8_MIN_U -> binaryIntrinsic(f, s16, "llvm.umin");
            case I16X8_MAX_S -> binaryIntrinsic(f, s16, "llvm.smax");
            case I16X8_MAX_U -> binaryIntrinsic(f, s16, "llvm.umax");
            case I32X4_MIN_S -> binaryIntrinsic(f, s32, "llvm.smin");
            case I32X4_MIN_U -> binaryIntrinsic(f, s32, "llvm.umin");
            case I32X4_MAX_S -> binaryIntrinsic(f, s32, "llvm.smax");
            case I32X4_MAX_U -> binaryIntrinsic(f, s32, "llvm.umax");

            case I8X16_AVGR_U -> averageRounded(f, s8);
            case I16X8_AVGR_U -> averageRounded(f, s16);
            case I16X8_Q15MULR_SAT_S -> q15MulRoundSat(f);
            case I32X4_DOT_I16X8_S -> dot(f);

            case I8X16_NARROW_I16X8_S -> narrow(f, s16, true);
            case I8X16_NARROW_I16X8_U -> narrow(f, s16, false);
            case I16X8_NARROW_I32X4_S -> narrow(f, s32, true);
            case I16X8_NARROW_I32X4_U -> narrow(f, s32, false);

            case I16X8_EXTEND_LOW_I8X16_S -> extend(f, s8, false, true);
            case I16X8_EXTEND_HIGH_I8X16_S -> extend(f, s8, true, true);
            case I16X8_EXTEND_LOW_I8X16_U -> extend(f, s8, false, false);
            case I16X8_EXTEND_HIGH_I8X16_U -> extend(f, s8, true, false);
            case I32X4_EXTEND_LOW_I16X8_S -> extend(f, s16, false, true);
            case I32X4_EXTEND_HIGH_I16X8_S -> extend(f, s16, true, true);
            case I32X4_EXTEND_LOW_I16X8_U -> extend(f, s16, false, false);
            case I32X4_EXTEND_HIGH_I16X8_U -> extend(f, s16, true, false);
            case I64X2_EXTEND_LOW_I32X4_S -> extend(f, s32, false, true);
            case I64X2_EXTEND_HIGH_I32X4_S -> extend(f, s32, true, true);
            case I64X2_EXTEND_LOW_I32X4_U -> extend(f, s32, false, false);
            case I64X2_EXTEND_HIGH_I32X4_U -> extend(f, s32, true, false);

            case I16X8_EXTADD_PAIRWISE_I8X16_S -> extAddPairwise(f, s8, true);
            case I16X8_EXTADD_PAIRWISE_I8X16_U -> extAddPairwise(f, s8, false);
            case I32X4_EXTADD_PAIRWISE_I16X8_S -> extAddPairwise(f, s16, true);
            case I32X4_EXTADD_PAIRWISE_I16X8_U -> extAddPairwise(f, s16, false);

            case I16X8_EXTMUL_LOW_I8X16_S -> extMul(f, s8, false, true);
            case I16X8_EXTMUL_HIGH_I8X16_S -> extMul(f, s8, true, true);
            case I16X8_EXTMUL_LOW_I8X16_U -> extMul(f, s8, false, false);
            case I16X8_EXTMUL_HIGH_I8X16_U -> extMul(f, s8, true, false);
            case I32X4_EXTMUL_LOW_I16X8_S -> extMul(f, s16, false, true);
            case I32X4_EXTMUL_HIGH_I16X8_S -> extMul(f, s16, true, true);
            case I32X4_EXTMUL_LOW_I16X8_U -> extMul(f, s16, false, false);
            case I32X4_EXTMUL_HIGH_I16X8_U -> extMul(f, s16, true, false);
            case I64X2_EXTMUL_LOW_I32X4_S -> extMul(f, s32, false, true);
            case I64X2_EXTMUL_HIGH_I32X4_S -> extMul(f, s32, true, true);
            case I64X2_EXTMUL_LOW_I32X4_U -> extMul(f, s32, false, false);
            case I64X2_EXTMUL_HIGH_I32X4_U -> extMul(f, s32, true, false);
            default -> throw f.unsupported(op);
        }
    }

    private static void binary(FunctionTranslator f, LLVMTypeRef shape, BinaryOp op) {
        LLVMValueRef y = popAs(f, shape), x = popAs(f, shape);
        pushV128(f, op.build(f.b, x, y, ""));
    }

    private static void binaryIntrinsic(FunctionTranslator f, LLVMTypeRef shape, String name) {
        LLVMValueRef y = popAs(f, shape), x = popAs(f, shape);
        pushV128(f, intrinsic2(f, name, x, y));
    }

    private static void compare(FunctionTranslator f, LLVMTypeRef shape, int predicate) {
        LLVMValueRef y = popAs(f, shape), x = popAs(f, shape);
        pushV128(f, maskToLanes(f, LLVMBuildICmp(f.b, predicate, x, y, ""), shape));
    }

    /** abs of the most negative lane value is itself, as Wasm wants (no poison flag). */
    private static void abs(FunctionTranslator f, LLVMTypeRef shape) {
        LLVMValueRef x = popAs(f, shape);
        pushV128(f, f.intrinsic("llvm.abs", new LLVMTypeRef[] {shape}, x, LLVMConstInt(f.t.i1, 0, 0)));
    }

    private static void neg(FunctionTranslator f, LLVMTypeRef shape) {
        LLVMValueRef x = popAs(f, shape);
        pushV128(f, LLVMBuildSub(f.b, LLVMConstNull(shape), x, ""));
    }

    private static void allTrue(FunctionTranslator f, LLVMTypeRef shape) {
        LLVMValueRef x = popAs(f, shape);
        LLVMValueRef nonZero = LLVMBuildICmp(f.b, LLVMIntNE, x, LLVMConstNull(shape), "");
        f.push(LLVMBuildZExt(f.b, intrinsic1(f, "llvm.vector.reduce.and", nonZero), f.t.i32, ""));
    }

    /** Bit i of the result is the sign bit of lane i (the pattern of pmovmskb / movmskps). */
    private static void bitmask(FunctionTranslator f, LLVMTypeRef shape) {
        LLVMValueRef x = popAs(f, shape);
        LLVMValueRef negative = LLVMBuildICmp(f.b, LLVMIntSLT, x, LLVMConstNull(shape), "");
        LLVMValueRef bits = LLVMBuildBitCast(f.b, negative, LLVMIntTypeInContext(f.t.ctx, lanes(shape)), "");
        f.push(LLVMBuildZExt(f.b, bits, f.t.i32, ""));
    }

    /** The i32 shift count is taken modulo the lane width, as Wasm defines. */
    private static void shift(FunctionTranslator f, LLVMTypeRef shape, BinaryOp op) {
        LLVMTypeRef lane = laneType(shape);
        int bits = LLVMGetIntTypeWidth(lane);
        LLVMValueRef count = LLVMBuildAnd(f.b, f.pop(), f.i32(bits - 1), "");
        if (bits < 32) count = LLVMBuildTrunc(f.b, count, lane, "");
        else if (bits > 32) count = LLVMBuildZExt(f.b, count, lane, "");
        LLVMValueRef x = popAs(f, shape);
        pushV128(f, op.build(f.b, x, splat(f, shape, count), ""));
    }

    /** (a + b + 1) / 2 without overflow, computed in lanes twice as wide (pavgb / pavgw). */
    private static void averageRounded(FunctionTranslator f, LLVMTypeRef shape) {
        LLVMValueRef y = popAs(f, shape), x = popAs(f, shape);
        LLVMTypeRef wide = widened(f, shape, lanes(shape));
        LLVMValueRef sum = LLVMBuildAdd(f.b, LLVMBuildZExt(f.b, x, wide, ""), LLVMBuildZExt(f.b, y, wide, ""), "");
        sum = LLVMBuildAdd(f.b, sum, constSplat(wide, 1), "");
        LLVMValueRef halved = LLVMBuildLShr(f.b, sum, constSplat(wide, 1), "");
        pushV128(f, LLVMBuildTrunc(f.b, halved, shape, ""));
    }

    /**
     * (a * b + 0x4000) >> 15 per i16 lane, saturated. That is SSSE3 pmulhrsw, except that pmulhrsw
     * wraps where Wasm saturates: only -32768 * -32768 leaves the i16 range, giving 0x8000 instead of
     * 0x7FFF, so lanes equal to 0x8000 are flipped. The x86 back end does not recognise pmulhrsw in
     * generic IR (written out, this is a dozen instructions), hence the target intrinsic; every
     * supported CPU level (x86-64-v2 and up) has SSSE3.
     */
    private static void q15MulRoundSat(FunctionTranslator f) {
        LLVMTypeRef s16 = f.t.i16x8;
        LLVMValueRef y = popAs(f, s16), x = popAs(f, s16);
        LLVMValueRef wrapped = f.intrinsic("llvm.x86.ssse3.pmul.hr.sw.128", new LLVMTypeRef[0], x, y);
        LLVMValueRef overflowed = LLVMBuildICmp(f.b, LLVMIntEQ, wrapped, constSplat(s16, 0x8000), "");
        pushV128(f, LLVMBuildXor(f.b, wrapped, maskToLanes(f, overflowed, s16), ""));
    }

    /** i32x4.dot_i16x8_s: sums of adjacent products of sign-extended lanes (pmaddwd); wraps. */
    private static void dot(FunctionTranslator f) {
        LLVMTypeRef wide = vectorOf(f.t.i32, 8);
        LLVMValueRef y = popAs(f, f.t.i16x8), x = popAs(f, f.t.i16x8);
        LLVMValueRef product = LLVMBuildMul(f.b, LLVMBuildSExt(f.b, x, wide, ""), LLVMBuildSExt(f.b, y, wide, ""), "");
        LLVMValueRef even = strided(f, product, 0, 4, 2);
        LLVMValueRef odd = strided(f, product, 1, 4, 2);
        pushV128(f, LLVMBuildAdd(f.b, even, odd, ""));
    }

    /**
     * Two vectors of wide lanes into one of half-width lanes, each clamped to the narrow signed or
     * unsigned range; the inputs are read as signed in both cases (packsswb / packuswb).
     */
    private static void narrow(FunctionTranslator f, LLVMTypeRef wideShape, boolean signed) {
        int n = lanes(wideShape);
        int narrowBits = LLVMGetIntTypeWidth(laneType(wideShape)) / 2;
        LLVMValueRef y = popAs(f, wideShape), x = popAs(f, wideShape);
        LLVMValueRef both = shuffle(f, x, y, range(0, 2 * n, 1));
        LLVMTypeRef bothType = LLVMTypeOf(both);
        long min = signed ? -(1L << (narrowBits - 1)) : 0;
        long max = signed ? (1L << (narrowBits - 1)) - 1 : (1L << narrowBits) - 1;
        LLVMValueRef clamped = intrinsic2(f, "llvm.smax", both, constSplat(bothType, min));
        clamped = intrinsic2(f, "llvm.smin", clamped, constSplat(bothType, max));
        LLVMTypeRef narrowShape = vectorOf(LLVMIntTypeInContext(f.t.ctx, narrowBits), 2 * n);
        pushV128(f, LLVMBuildTrunc(f.b, clamped, narrowShape, ""));
    }

    /** The low or high half of the lanes, each extended to twice its width. */
    private static LLVMValueRef extendHalf(
            FunctionTranslator f, LLVMValueRef x, LLVMTypeRef shape, boolean high, boolean signed) {
        int half = lanes(shape) / 2;
        LLVMValueRef part = slice(f, x, high ? half : 0, half);
        LLVMTypeRef wide = widened(f, shape, half);
        return signed ? LLVMBuildSExt(f.b, part, wide, "") : LLVMBuildZExt(f.b, part, wide, "");
    }

    private static void extend(FunctionTranslator f, LLVMTypeRef shape, boolean high, boolean signed) {
        pushV128(f, extendHalf(f, popAs(f, shape), shape, high, signed));
    }

    private static void extMul(FunctionTranslator f, LLVMTypeRef shape, boolean high, boolean signed) {
        LLVMValueRef y = popAs(f, shape), x = popAs(f, shape);
        LLVMValueRef product =
                LLVMBuildMul(f.b, extendHalf(f, x, shape, high, signed), extendHalf(f, y, shape, high, signed), "");
        pushV128(f, product);
    }

    /** Adjacent lane pairs, each extended and summed into one lane of twice the width. */
    private static void extAddPairwise(FunctionTranslator f, LLVMTypeRef shape, boolean signed) {
        int half = lanes(shape) / 2;
        LLVMTypeRef wide = widened(f, shape, half);
        LLVMValueRef x = popAs(f, shape);
        LLVMValueRef even = strided(f, x, 0, half, 2);
        LLVMValueRef odd = strided(f, x, 1, half, 2);
        LLVMValueRef sum = signed
                ? LLVMBuildAdd(f.b, LLVMBuildSExt(f.b, even, wide, ""), LLVMBuildSExt(f.b, odd, wide, ""), "")
                : LLVMBuildAdd(f.b, LLVMBuildZExt(f.b, even, wide, ""), LLVMBuildZExt(f.b, odd, wide, ""), "");
        pushV128(f, sum);
    }
}
