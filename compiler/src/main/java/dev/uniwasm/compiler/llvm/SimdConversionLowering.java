package dev.uniwasm.compiler.llvm;

import static dev.uniwasm.compiler.llvm.SimdLowering.*;
import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Opcode;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Conversions between float and integer lanes and between the two float shapes.
 *
 * <p>The saturating truncations are spelled out instead of using llvm.fpto[su]i.sat, which the x86
 * back end scalarises lane by lane: the vector forms below become cvttps2dq / cvttpd2dq plus a few
 * compares and blends. A plain fptosi of an out-of-range lane is poison in LLVM, so such lanes are
 * either clamped into range first or their (frozen) result is replaced by a select.
 */
final class SimdConversionLowering {
    private SimdConversionLowering() {}

    private static final double TWO_POW_31 = 2147483648.0;
    private static final double TWO_POW_32 = 4294967296.0;
    private static final double TWO_POW_52 = 4503599627370496.0;

    static void lower(FunctionTranslator f, Opcode op, InstructionReader r) {
        LlvmTypes t = f.t;
        switch (op) {
            case F32X4_CONVERT_I32X4_S -> pushV128(f, LLVMBuildSIToFP(f.b, popAs(f, t.i32x4), t.f32x4, ""));
            case F32X4_CONVERT_I32X4_U -> pushV128(f, LLVMBuildUIToFP(f.b, popAs(f, t.i32x4), t.f32x4, ""));
            case F64X2_CONVERT_LOW_I32X4_S ->
                pushV128(f, LLVMBuildSIToFP(f.b, slice(f, popAs(f, t.i32x4), 0, 2), t.f64x2, ""));
            case F64X2_CONVERT_LOW_I32X4_U ->
                pushV128(f, LLVMBuildUIToFP(f.b, slice(f, popAs(f, t.i32x4), 0, 2), t.f64x2, ""));
            case I32X4_TRUNC_SAT_F32X4_S -> pushV128(f, truncSatF32Signed(f, popAs(f, t.f32x4)));
            case I32X4_TRUNC_SAT_F32X4_U -> pushV128(f, truncSatF32Unsigned(f, popAs(f, t.f32x4)));
            case I32X4_TRUNC_SAT_F64X2_S_ZERO -> pushV128(f, zeroUpperHalf(f, truncSatF64Signed(f, popAs(f, t.f64x2))));
            case I32X4_TRUNC_SAT_F64X2_U_ZERO -> pushV128(f, truncSatF64UnsignedZero(f, popAs(f, t.f64x2)));
            case F32X4_DEMOTE_F64X2_ZERO ->
                pushV128(f, zeroUpperHalf(f, LLVMBuildFPTrunc(f.b, popAs(f, t.f64x2), vectorOf(t.f32, 2), "")));
            case F64X2_PROMOTE_LOW_F32X4 ->
                pushV128(f, LLVMBuildFPExt(f.b, slice(f, popAs(f, t.f32x4), 0, 2), t.f64x2, ""));
            default -> throw f.unsupported(op);
        }
    }

    /** NaN gives 0, values at or beyond ±2^31 saturate. */
    private static LLVMValueRef truncSatF32Signed(FunctionTranslator f, LLVMValueRef x) {
        LLVMTypeRef ints = f.t.i32x4;
        LLVMValueRef raw = LLVMBuildFreeze(f.b, LLVMBuildFPToSI(f.b, x, ints, ""), "");
        LLVMValueRef r =
                LLVMBuildSelect(f.b, fcmp(f, LLVMRealOGE, x, TWO_POW_31), constSplat(ints, Integer.MAX_VALUE), raw, "");
        r = LLVMBuildSelect(f.b, fcmp(f, LLVMRealOLT, x, -TWO_POW_31), constSplat(ints, Integer.MIN_VALUE), r, "");
        return LLVMBuildSelect(f.b, LLVMBuildFCmp(f.b, LLVMRealUNO, x, x, ""), LLVMConstNull(ints), r, "");
    }

    /**
     * NaN and negative values give 0, values at or beyond 2^32 give 0xFFFFFFFF. Lanes in [2^31, 2^32)
     * have no signed conversion, so they convert x - 2^31 and put the top bit back.
     */
    private static LLVMValueRef truncSatF32Unsigned(FunctionTranslator f, LLVMValueRef x) {
        LLVMTypeRef ints = f.t.i32x4;
        LLVMValueRef zero = LLVMConstNull(f.t.f32x4);
        LLVMValueRef c = LLVMBuildSelect(f.b, LLVMBuildFCmp(f.b, LLVMRealOGT, x, zero, ""), x, zero, "");
        LLVMValueRef low = LLVMBuildFreeze(f.b, LLVMBuildFPToSI(f.b, c, ints, ""), "");
        LLVMValueRef shifted = LLVMBuildFSub(f.b, c, splatReal(f.t.f32x4, TWO_POW_31), "");
        LLVMValueRef high = LLVMBuildXor(
                f.b,
                LLVMBuildFreeze(f.b, LLVMBuildFPToSI(f.b, shifted, ints, ""), ""),
                constSplat(ints, Integer.MIN_VALUE),
                "");
        LLVMValueRef r = LLVMBuildSelect(f.b, fcmp(f, LLVMRealOLT, c, TWO_POW_31), low, high, "");
        return LLVMBuildSelect(f.b, fcmp(f, LLVMRealOGE, c, TWO_POW_32), constSplat(ints, -1), r, "");
    }

    /** Clamped into [-2^31, 2^31 - 1] (both exact in f64) first, so the conversion is always defined. */
    private static LLVMValueRef truncSatF64Signed(FunctionTranslator f, LLVMValueRef x) {
        LLVMTypeRef shape = f.t.f64x2;
        LLVMValueRef c = LLVMBuildSelect(f.b, LLVMBuildFCmp(f.b, LLVMRealORD, x, x, ""), x, LLVMConstNull(shape), "");
        LLVMValueRef lo = splatReal(shape, -TWO_POW_31), hi = splatReal(shape, TWO_POW_31 - 1);
        c = LLVMBuildSelect(f.b, LLVMBuildFCmp(f.b, LLVMRealOLT, c, lo, ""), lo, c, "");
        c = LLVMBuildSelect(f.b, LLVMBuildFCmp(f.b, LLVMRealOGT, c, hi, ""), hi, c, "");
        return LLVMBuildFPToSI(f.b, c, vectorOf(f.t.i32, 2), "");
    }

    /**
     * Clamped into [0, 2^32 - 1] and truncated; adding 2^52 then puts the integer in the low 32
     * mantissa bits, which become the result lanes (x86 has no vector f64-to-u32 conversion).
     */
    private static LLVMValueRef truncSatF64UnsignedZero(FunctionTranslator f, LLVMValueRef x) {
        LLVMTypeRef shape = f.t.f64x2;
        LLVMValueRef zero = LLVMConstNull(shape);
        LLVMValueRef c = LLVMBuildSelect(f.b, LLVMBuildFCmp(f.b, LLVMRealOGT, x, zero, ""), x, zero, "");
        LLVMValueRef hi = splatReal(shape, TWO_POW_32 - 1);
        c = LLVMBuildSelect(f.b, LLVMBuildFCmp(f.b, LLVMRealOLT, c, hi, ""), c, hi, "");
        LLVMValueRef whole = intrinsic1(f, "llvm.trunc", c);
        LLVMValueRef biased = LLVMBuildFAdd(f.b, whole, splatReal(shape, TWO_POW_52), "");
        LLVMValueRef words = LLVMBuildBitCast(f.b, biased, f.t.i32x4, "");
        return shuffle(f, words, LLVMConstNull(f.t.i32x4), 0, 2, 4, 5);
    }

    /** A two-lane vector widened to four lanes with lanes 2 and 3 zero. */
    private static LLVMValueRef zeroUpperHalf(FunctionTranslator f, LLVMValueRef twoLanes) {
        return shuffle(f, twoLanes, LLVMConstNull(LLVMTypeOf(twoLanes)), 0, 1, 2, 3);
    }

    private static LLVMValueRef fcmp(FunctionTranslator f, int predicate, LLVMValueRef x, double bound) {
        return LLVMBuildFCmp(f.b, predicate, x, splatReal(LLVMTypeOf(x), bound), "");
    }
}
