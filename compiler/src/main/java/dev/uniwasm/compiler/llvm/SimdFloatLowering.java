package dev.uniwasm.compiler.llvm;

import static dev.uniwasm.compiler.llvm.SimdLowering.*;
import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Opcode;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;
import org.bytedeco.llvm.global.LLVM;

/** f32x4 / f64x2 arithmetic and comparisons. */
final class SimdFloatLowering {
    private SimdFloatLowering() {}

    private interface BinaryOp {
        LLVMValueRef build(LLVMBuilderRef b, LLVMValueRef x, LLVMValueRef y, String name);
    }

    static void lower(FunctionTranslator f, Opcode op, InstructionReader r) {
        LlvmTypes t = f.t;
        LLVMTypeRef s32 = t.f32x4, s64 = t.f64x2;
        switch (op) {
            case F32X4_EQ -> compare(f, s32, LLVMRealOEQ);
            case F32X4_NE -> compare(f, s32, LLVMRealUNE);
            case F32X4_LT -> compare(f, s32, LLVMRealOLT);
            case F32X4_GT -> compare(f, s32, LLVMRealOGT);
            case F32X4_LE -> compare(f, s32, LLVMRealOLE);
            case F32X4_GE -> compare(f, s32, LLVMRealOGE);
            case F64X2_EQ -> compare(f, s64, LLVMRealOEQ);
            case F64X2_NE -> compare(f, s64, LLVMRealUNE);
            case F64X2_LT -> compare(f, s64, LLVMRealOLT);
            case F64X2_GT -> compare(f, s64, LLVMRealOGT);
            case F64X2_LE -> compare(f, s64, LLVMRealOLE);
            case F64X2_GE -> compare(f, s64, LLVMRealOGE);

            case F32X4_ABS -> unaryIntrinsic(f, s32, "llvm.fabs");
            case F64X2_ABS -> unaryIntrinsic(f, s64, "llvm.fabs");
            case F32X4_NEG -> pushV128(f, LLVMBuildFNeg(f.b, popAs(f, s32), ""));
            case F64X2_NEG -> pushV128(f, LLVMBuildFNeg(f.b, popAs(f, s64), ""));
            case F32X4_SQRT -> unaryIntrinsic(f, s32, "llvm.sqrt");
            case F64X2_SQRT -> unaryIntrinsic(f, s64, "llvm.sqrt");
            case F32X4_CEIL -> unaryIntrinsic(f, s32, "llvm.ceil");
            case F64X2_CEIL -> unaryIntrinsic(f, s64, "llvm.ceil");
            case F32X4_FLOOR -> unaryIntrinsic(f, s32, "llvm.floor");
            case F64X2_FLOOR -> unaryIntrinsic(f, s64, "llvm.floor");
            case F32X4_TRUNC -> unaryIntrinsic(f, s32, "llvm.trunc");
            case F64X2_TRUNC -> unaryIntrinsic(f, s64, "llvm.trunc");
            // Wasm's nearest rounds half-way cases to even.
            case F32X4_NEAREST -> unaryIntrinsic(f, s32, "llvm.roundeven");
            case F64X2_NEAREST -> unaryIntrinsic(f, s64, "llvm.roundeven");

            case F32X4_ADD -> arithmetic(f, s32, LLVM::LLVMBuildFAdd);
            case F64X2_ADD -> arithmetic(f, s64, LLVM::LLVMBuildFAdd);
            case F32X4_SUB -> arithmetic(f, s32, LLVM::LLVMBuildFSub);
            case F64X2_SUB -> arithmetic(f, s64, LLVM::LLVMBuildFSub);
            case F32X4_MUL -> arithmetic(f, s32, LLVM::LLVMBuildFMul);
            case F64X2_MUL -> arithmetic(f, s64, LLVM::LLVMBuildFMul);
            case F32X4_DIV -> arithmetic(f, s32, LLVM::LLVMBuildFDiv);
            case F64X2_DIV -> arithmetic(f, s64, LLVM::LLVMBuildFDiv);
            case F32X4_MIN -> minMax(f, s32, true);
            case F64X2_MIN -> minMax(f, s64, true);
            case F32X4_MAX -> minMax(f, s32, false);
            case F64X2_MAX -> minMax(f, s64, false);
            case F32X4_PMIN -> pseudoMinMax(f, s32, true);
            case F64X2_PMIN -> pseudoMinMax(f, s64, true);
            case F32X4_PMAX -> pseudoMinMax(f, s32, false);
            case F64X2_PMAX -> pseudoMinMax(f, s64, false);

            default -> throw f.unsupported(op);
        }
    }

    /** Lanes become all-ones where the ordered (or, for ne, unordered) predicate holds. */
    private static void compare(FunctionTranslator f, LLVMTypeRef shape, int predicate) {
        LLVMValueRef y = popAs(f, shape), x = popAs(f, shape);
        pushV128(f, maskToLanes(f, LLVMBuildFCmp(f.b, predicate, x, y, ""), integerShape(f, shape)));
    }

    private static LLVMTypeRef integerShape(FunctionTranslator f, LLVMTypeRef floatShape) {
        return lanes(floatShape) == 4 ? f.t.i32x4 : f.t.i64x2;
    }

    private static void unaryIntrinsic(FunctionTranslator f, LLVMTypeRef shape, String name) {
        pushV128(f, intrinsic1(f, name, popAs(f, shape)));
    }

    /**
     * Wasm's min/max: NaN if either operand is NaN, and -0 < +0. llvm.minimum/maximum mean the same
     * but x86 expands them into a long blend sequence that also passes a signalling NaN through
     * unquieted, where Wasm wants an arithmetic NaN. Instead: a compare-and-select in both operand
     * orders (one minps / maxps each); they differ only for a pair of zeros, where OR picks -0 and AND
     * picks +0, or a NaN operand, where the canonical NaN is chosen.
     */
    private static void minMax(FunctionTranslator f, LLVMTypeRef shape, boolean min) {
        LLVMValueRef y = popAs(f, shape), x = popAs(f, shape);
        // Both written with "<", the form the x86 back end matches to minps / maxps.
        LLVMValueRef xLess = LLVMBuildFCmp(f.b, LLVMRealOLT, x, y, "");
        LLVMValueRef yLess = LLVMBuildFCmp(f.b, LLVMRealOLT, y, x, "");
        LLVMValueRef xFirst = LLVMBuildSelect(f.b, min ? xLess : yLess, x, y, "");
        LLVMValueRef yFirst = LLVMBuildSelect(f.b, min ? yLess : xLess, y, x, "");
        LLVMTypeRef ints = integerShape(f, shape);
        LLVMValueRef xBits = cast(f, xFirst, ints), yBits = cast(f, yFirst, ints);
        LLVMValueRef merged = min ? LLVMBuildOr(f.b, xBits, yBits, "") : LLVMBuildAnd(f.b, xBits, yBits, "");
        LLVMValueRef eitherNaN = LLVMBuildFCmp(f.b, LLVMRealUNO, x, y, "");
        pushV128(f, LLVMBuildSelect(f.b, eitherNaN, canonicalNaN(f, shape), cast(f, merged, shape), ""));
    }

    /** Every lane the canonical quiet NaN: exponent all ones, only the top fraction bit set. */
    private static LLVMValueRef canonicalNaN(FunctionTranslator f, LLVMTypeRef shape) {
        LLVMTypeRef ints = integerShape(f, shape);
        long bits = lanes(shape) == 4 ? 0x7FC00000L : 0x7FF8000000000000L;
        return LLVMConstBitCast(constSplat(ints, bits), shape);
    }

    private static void arithmetic(FunctionTranslator f, LLVMTypeRef shape, BinaryOp op) {
        LLVMValueRef y = popAs(f, shape), x = popAs(f, shape);
        pushV128(f, op.build(f.b, x, y, ""));
    }

    /**
     * pmin(a, b) = b < a ? b : a and pmax(a, b) = a < b ? b : a: a plain compare-and-select (minps /
     * maxps), so a NaN or a signed zero in `a` comes through unchanged, unlike min/max.
     */
    private static void pseudoMinMax(FunctionTranslator f, LLVMTypeRef shape, boolean min) {
        LLVMValueRef b = popAs(f, shape), a = popAs(f, shape);
        LLVMValueRef takeB =
                min ? LLVMBuildFCmp(f.b, LLVMRealOLT, b, a, "") : LLVMBuildFCmp(f.b, LLVMRealOLT, a, b, "");
        pushV128(f, LLVMBuildSelect(f.b, takeB, b, a, ""));
    }
}
