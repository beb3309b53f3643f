package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Opcode;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/** Scalar integer and floating-point instructions: constants, arithmetic, comparisons, conversions. */
final class NumericLowering {
    private NumericLowering() {}

    static void lower(FunctionTranslator f, Opcode op, InstructionReader r) {
        LlvmTypes t = f.t;
        LLVMBuilderRef b = f.b;
        switch (op) {
            case I32_CONST -> f.push(LLVMConstInt(t.i32, r.constBits & 0xffffffffL, 0));
            case I64_CONST -> f.push(LLVMConstInt(t.i64, r.constBits, 0));
            case F32_CONST -> f.push(LLVMConstBitCast(LLVMConstInt(t.i32, r.constBits & 0xffffffffL, 0), t.f32));
            case F64_CONST -> f.push(LLVMConstBitCast(LLVMConstInt(t.i64, r.constBits, 0), t.f64));

            case I32_EQZ, I64_EQZ -> {
                LLVMValueRef a = f.pop();
                f.push(bool(f, LLVMBuildICmp(b, LLVMIntEQ, a, LLVMConstNull(LLVMTypeOf(a)), "")));
            }
            case I32_EQ, I64_EQ -> icmp(f, LLVMIntEQ);
            case I32_NE, I64_NE -> icmp(f, LLVMIntNE);
            case I32_LT_S, I64_LT_S -> icmp(f, LLVMIntSLT);
            case I32_LT_U, I64_LT_U -> icmp(f, LLVMIntULT);
            case I32_GT_S, I64_GT_S -> icmp(f, LLVMIntSGT);
            case I32_GT_U, I64_GT_U -> icmp(f, LLVMIntUGT);
            case I32_LE_S, I64_LE_S -> icmp(f, LLVMIntSLE);
            case I32_LE_U, I64_LE_U -> icmp(f, LLVMIntULE);
            case I32_GE_S, I64_GE_S -> icmp(f, LLVMIntSGE);
            case I32_GE_U, I64_GE_U -> icmp(f, LLVMIntUGE);

            case F32_EQ, F64_EQ -> fcmp(f, LLVMRealOEQ);
            case F32_NE, F64_NE -> fcmp(f, LLVMRealUNE);
            case F32_LT, F64_LT -> fcmp(f, LLVMRealOLT);
            case F32_GT, F64_GT -> fcmp(f, LLVMRealOGT);
            case F32_LE, F64_LE -> fcmp(f, LLVMRealOLE);
            case F32_GE, F64_GE -> fcmp(f, LLVMRealOGE);

            case I32_CLZ, I64_CLZ -> bitCount(f, "llvm.ctlz", true);
            case I32_CTZ, I64_CTZ -> bitCount(f, "llvm.cttz", true);
            case I32_POPCNT, I64_POPCNT -> bitCount(f, "llvm.ctpop", false);
            case I32_ADD, I64_ADD -> {
                LLVMValueRef y = f.pop(), x = f.pop();
                f.push(LLVMBuildAdd(b, x, y, ""));
            }
            case I32_SUB, I64_SUB -> {
                LLVMValueRef y = f.pop(), x = f.pop();
                f.push(LLVMBuildSub(b, x, y, ""));
            }
            case I32_MUL, I64_MUL -> {
                LLVMValueRef y = f.pop(), x = f.pop();
                f.push(LLVMBuildMul(b, x, y, ""));
            }
            case I32_DIV_S, I64_DIV_S -> divRem(f, true, true);
            case I32_DIV_U, I64_DIV_U -> divRem(f, false, true);
            case I32_REM_S, I64_REM_S -> divRem(f, true, false);
            case I32_REM_U, I64_REM_U -> divRem(f, false, false);
            case I32_AND, I64_AND -> {
                LLVMValueRef y = f.pop(), x = f.pop();
                f.push(LLVMBuildAnd(b, x, y, ""));
            }
            case I32_OR, I64_OR -> {
                LLVMValueRef y = f.pop(), x = f.pop();
                f.push(LLVMBuildOr(b, x, y, ""));
            }
            case I32_XOR, I64_XOR -> {
                LLVMValueRef y = f.pop(), x = f.pop();
                f.push(LLVMBuildXor(b, x, y, ""));
            }
            case I32_SHL, I64_SHL -> shift(f, 0);
            case I32_SHR_S, I64_SHR_S -> shift(f, 1);
            case I32_SHR_U, I64_SHR_U -> shift(f, 2);
            case I32_ROTL, I64_ROTL -> rotate(f, "llvm.fshl");
            case I32_ROTR, I64_ROTR -> rotate(f, "llvm.fshr");

            case F32_ABS, F64_ABS -> unaryIntrinsic(f, "llvm.fabs");
            case F32_NEG, F64_NEG -> f.push(LLVMBuildFNeg(b, f.pop(), ""));
            case F32_CEIL, F64_CEIL -> unaryIntrinsic(f, "llvm.ceil");
            case F32_FLOOR, F64_FLOOR -> unaryIntrinsic(f, "llvm.floor");
            case F32_TRUNC, F64_TRUNC -> unaryIntrinsic(f, "llvm.trunc");
            case F32_NEAREST, F64_NEAREST -> unaryIntrinsic(f, "llvm.roundeven");
            case F32_SQRT, F64_SQRT -> unaryIntrinsic(f, "llvm.sqrt");
            case F32_ADD, F64_ADD -> floatArith(f, LLVMFAdd);
            case F32_SUB, F64_SUB -> floatArith(f, LLVMFSub);
            case F32_MUL, F64_MUL -> floatArith(f, LLVMFMul);
            case F32_DIV, F64_DIV -> floatArith(f, LLVMFDiv);
            case F32_MIN, F64_MIN -> minMax(f, "llvm.minimum");
            case F32_MAX, F64_MAX -> minMax(f, "llvm.maximum");
            case F32_COPYSIGN, F64_COPYSIGN -> binaryIntrinsic(f, "llvm.copysign");

            case I32_WRAP_I64 -> f.push(LLVMBuildTrunc(b, f.pop(), t.i32, ""));
            case I64_EXTEND_I32_S -> f.push(LLVMBuildSExt(b, f.pop(), t.i64, ""));
            case I64_EXTEND_I32_U -> f.push(LLVMBuildZExt(b, f.pop(), t.i64, ""));
            case I32_EXTEND8_S -> extendFrom(f, t.i8);
            case I32_EXTEND16_S -> extendFrom(f, t.i16);
            case I64_EXTEND8_S -> extendFrom(f, t.i8);
            case I64_EXTEND16_S -> extendFrom(f, t.i16);
            case I64_EXTEND32_S -> extendFrom(f, t.i32);

            case I32_TRUNC_F32_S, I32_TRUNC_F64_S -> truncTrapping(f, t.i32, true);
            case I32_TRUNC_F32_U, I32_TRUNC_F64_U -> truncTrapping(f, t.i32, false);
            case I64_TRUNC_F32_S, I64_TRUNC_F64_S -> truncTrapping(f, t.i64, true);
            case I64_TRUNC_F32_U, I64_TRUNC_F64_U -> truncTrapping(f, t.i64, false);
            case I32_TRUNC_SAT_F32_S, I32_TRUNC_SAT_F64_S -> truncSat(f, t.i32, "llvm.fptosi.sat");
            case I32_TRUNC_SAT_F32_U, I32_TRUNC_SAT_F64_U -> truncSat(f, t.i32, "llvm.fptoui.sat");
            case I64_TRUNC_SAT_F32_S, I64_TRUNC_SAT_F64_S -> truncSat(f, t.i64, "llvm.fptosi.sat");
            case I64_TRUNC_SAT_F32_U, I64_TRUNC_SAT_F64_U -> truncSat(f, t.i64, "llvm.fptoui.sat");

            case F32_CONVERT_I32_S, F32_CONVERT_I64_S -> f.push(LLVMBuildSIToFP(b, f.pop(), t.f32, ""));
            case F32_CONVERT_I32_U, F32_CONVERT_I64_U -> f.push(LLVMBuildUIToFP(b, f.pop(), t.f32, ""));
            case F64_CONVERT_I32_S, F64_CONVERT_I64_S -> f.push(LLVMBuildSIToFP(b, f.pop(), t.f64, ""));
            case F64_CONVERT_I32_U, F64_CONVERT_I64_U -> f.push(LLVMBuildUIToFP(b, f.pop(), t.f64, ""));
            case F32_DEMOTE_F64 -> {
                LLVMValueRef x = f.pop();
                LLVMValueRef demoted = LLVMBuildFPTrunc(b, x, t.f32, "");
                // demote(promote(y)) folds to y, which would let a signalling NaN through unquieted.
                if (isA(LLVMIsAFPExtInst(x))) {
                    LLVMValueRef isNaN = LLVMBuildFCmp(b, LLVMRealUNO, x, x, "");
                    LLVMValueRef quiet = LLVMBuildFPTrunc(b, LLVMBuildFAdd(b, x, x, ""), t.f32, "");
                    demoted = LLVMBuildSelect(b, isNaN, quiet, demoted, "");
                }
                f.push(demoted);
            }
            case F64_PROMOTE_F32 -> f.push(LLVMBuildFPExt(b, f.pop(), t.f64, ""));
            case I32_REINTERPRET_F32 -> f.push(LLVMBuildBitCast(b, f.pop(), t.i32, ""));
            case I64_REINTERPRET_F64 -> f.push(LLVMBuildBitCast(b, f.pop(), t.i64, ""));
            case F32_REINTERPRET_I32 -> f.push(LLVMBuildBitCast(b, f.pop(), t.f32, ""));
            case F64_REINTERPRET_I64 -> f.push(LLVMBuildBitCast(b, f.pop(), t.f64, ""));
            default -> throw f.unsupported(op);
        }
    }

    private static LLVMValueRef bool(FunctionTranslator f, LLVMValueRef i1) {
        return LLVMBuildZExt(f.b, i1, f.t.i32, "");
    }

    private static void icmp(FunctionTranslator f, int pred) {
        LLVMValueRef y = f.pop(), x = f.pop();
        f.push(bool(f, LLVMBuildICmp(f.b, pred, x, y, "")));
    }

    private static void fcmp(FunctionTranslator f, int pred) {
        LLVMValueRef y = f.pop(), x = f.pop();
        f.push(bool(f, LLVMBuildFCmp(f.b, pred, x, y, "")));
    }

    private static void bitCount(FunctionTranslator f, String intrinsic, boolean hasZeroFlag) {
        LLVMValueRef x = f.pop();
        LLVMTypeRef ty = LLVMTypeOf(x);
        f.push(
                hasZeroFlag
                        ? f.intrinsic(intrinsic, new LLVMTypeRef[] {ty}, x, LLVMConstInt(f.t.i1, 0, 0))
                        : f.intrinsic(intrinsic, new LLVMTypeRef[] {ty}, x));
    }

    private static void unaryIntrinsic(FunctionTranslator f, String name) {
        LLVMValueRef x = f.pop();
        f.push(f.intrinsic(name, new LLVMTypeRef[] {LLVMTypeOf(x)}, x));
    }

    /**
     * Wasm requires NaN results to be quiet ("arithmetic") NaNs, but LLVM folds x*1, x/1, x*-1,
     * x+-0, x-0 and -0-x to x or -x, which passes a signalling NaN through unquieted. Where an
     * operand is such an identity constant, a NaN result is replaced by x + x, which is quiet.
     * (llvm.canonicalize would say this directly but crashes LLVM 20's x86 back end in some uses.)
     */
    private static void floatArith(FunctionTranslator f, int opcode) {
        LLVMValueRef y = f.pop(), x = f.pop();
        LLVMValueRef r = LLVMBuildBinOp(f.b, opcode, x, y, "");
        double identity = opcode == LLVMFMul || opcode == LLVMFDiv ? 1.0 : 0.0;
        if (isConstMagnitude(y, identity)) r = quietIfNaN(f, r, x);
        else if (opcode != LLVMFDiv && isConstMagnitude(x, identity)) r = quietIfNaN(f, r, y);
        f.push(r);
    }

    private static boolean isConstMagnitude(LLVMValueRef v, double magnitude) {
        if (!isA(LLVMIsAConstantFP(v))) return false;
        int[] losesInfo = new int[1];
        return Math.abs(LLVMConstRealGetDouble(v, losesInfo)) == magnitude;
    }

    private static LLVMValueRef quietIfNaN(FunctionTranslator f, LLVMValueRef result, LLVMValueRef operand) {
        LLVMValueRef isNaN = LLVMBuildFCmp(f.b, LLVMRealUNO, operand, operand, "");
        return LLVMBuildSelect(f.b, isNaN, LLVMBuildFAdd(f.b, operand, operand, ""), result, "");
    }

    /**
     * llvm.minimum/maximum are IEEE 754-2019 minimum/maximum (NaN-propagating, -0 < +0), Wasm's
     * fmin/fmax, except that they may return a signalling NaN operand as it is: when an operand is
     * NaN, return x + y instead, which is a quiet NaN.
     */
    private static void minMax(FunctionTranslator f, String name) {
        LLVMValueRef y = f.pop(), x = f.pop();
        LLVMValueRef r = f.intrinsic(name, new LLVMTypeRef[] {LLVMTypeOf(x)}, x, y);
        LLVMValueRef unordered = LLVMBuildFCmp(f.b, LLVMRealUNO, x, y, "");
        f.push(LLVMBuildSelect(f.b, unordered, LLVMBuildFAdd(f.b, x, y, ""), r, ""));
    }

    private static boolean isA(LLVMValueRef v) {
        return v != null && !v.isNull();
    }

    private static void binaryIntrinsic(FunctionTranslator f, String name) {
        LLVMValueRef y = f.pop(), x = f.pop();
        f.push(f.intrinsic(name, new LLVMTypeRef[] {LLVMTypeOf(x)}, x, y));
    }

    /** Shift counts are taken modulo the bit width, as Wasm defines (LLVM would call it poison). */
    private static void shift(FunctionTranslator f, int kind) {
        LLVMValueRef y = f.pop(), x = f.pop();
        LLVMTypeRef ty = LLVMTypeOf(x);
        LLVMValueRef count = LLVMBuildAnd(f.b, y, LLVMConstInt(ty, LLVMGetIntTypeWidth(ty) - 1, 0), "");
        f.push(
                switch (kind) {
                    case 0 -> LLVMBuildShl(f.b, x, count, "");
                    case 1 -> LLVMBuildAShr(f.b, x, count, "");
                    default -> LLVMBuildLShr(f.b, x, count, "");
                });
    }

    private static void rotate(FunctionTranslator f, String funnel) {
        LLVMValueRef y = f.pop(), x = f.pop();
        f.push(f.intrinsic(funnel, new LLVMTypeRef[] {LLVMTypeOf(x)}, x, x, y));
    }

    private static void extendFrom(FunctionTranslator f, LLVMTypeRef narrow) {
        LLVMValueRef x = f.pop();
        LLVMTypeRef ty = LLVMTypeOf(x);
        f.push(LLVMBuildSExt(f.b, LLVMBuildTrunc(f.b, x, narrow, ""), ty, ""));
    }

    private static void divRem(FunctionTranslator f, boolean signed, boolean div) {
        LLVMBuilderRef b = f.b;
        LLVMValueRef y = f.pop(), x = f.pop();
        LLVMTypeRef ty = LLVMTypeOf(x);
        int bits = LLVMGetIntTypeWidth(ty);
        f.trapIf(LLVMBuildICmp(b, LLVMIntEQ, y, LLVMConstNull(ty), ""), Abi.TRAP_INT_DIV_BY_ZERO);
        LLVMValueRef minusOne = LLVMConstAllOnes(ty);
        if (signed && div) {
            LLVMValueRef min = LLVMConstInt(ty, bits == 32 ? 0x80000000L : Long.MIN_VALUE, 0);
            LLVMValueRef overflow = LLVMBuildAnd(
                    b, LLVMBuildICmp(b, LLVMIntEQ, x, min, ""), LLVMBuildICmp(b, LLVMIntEQ, y, minusOne, ""), "");
            f.trapIf(overflow, Abi.TRAP_INT_OVERFLOW);
            f.push(LLVMBuildSDiv(b, x, y, ""));
        } else if (signed) {
            // MIN % -1 is 0 in Wasm but faults on x86: divide by 1 instead, which gives the same 0.
            LLVMValueRef safe =
                    LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntEQ, y, minusOne, ""), LLVMConstInt(ty, 1, 0), y, "");
            f.push(LLVMBuildSRem(b, x, safe, ""));
        } else {
            f.push(div ? LLVMBuildUDiv(b, x, y, "") : LLVMBuildURem(b, x, y, ""));
        }
    }

    /**
     * Float-to-int that traps: NaN is an invalid conversion, anything outside the target's range
     * after truncation is an overflow. Bounds are exact in the source type.
     */
    private static void truncTrapping(FunctionTranslator f, LLVMTypeRef target, boolean signed) {
        LLVMBuilderRef b = f.b;
        LLVMValueRef x = f.pop();
        LLVMTypeRef src = LLVMTypeOf(x);
        boolean srcIsF64 = src.equals(f.t.f64) || LLVMGetTypeKind(src) == LLVMDoubleTypeKind;
        int bits = LLVMGetIntTypeWidth(target);
        f.trapIf(LLVMBuildFCmp(b, LLVMRealUNO, x, x, ""), Abi.TRAP_BAD_CONVERSION);
        LLVMValueRef inRange;
        if (signed) {
            double hi = Math.scalb(1.0, bits - 1);
            LLVMValueRef upper = LLVMBuildFCmp(b, LLVMRealOLT, x, LLVMConstReal(src, hi), "");
            LLVMValueRef lower = (srcIsF64 && bits == 32)
                    ? LLVMBuildFCmp(b, LLVMRealOGT, x, LLVMConstReal(src, -2147483649.0), "")
                    : LLVMBuildFCmp(b, LLVMRealOGE, x, LLVMConstReal(src, -hi), "");
            inRange = LLVMBuildAnd(b, lower, upper, "");
        } else {
            LLVMValueRef upper = LLVMBuildFCmp(b, LLVMRealOLT, x, LLVMConstReal(src, Math.scalb(1.0, bits)), "");
            LLVMValueRef lower = LLVMBuildFCmp(b, LLVMRealOGT, x, LLVMConstReal(src, -1.0), "");
            inRange = LLVMBuildAnd(b, lower, upper, "");
        }
        f.trapIf(LLVMBuildNot(b, inRange, ""), Abi.TRAP_INT_OVERFLOW);
        f.push(signed ? LLVMBuildFPToSI(b, x, target, "") : LLVMBuildFPToUI(b, x, target, ""));
    }

    private static void truncSat(FunctionTranslator f, LLVMTypeRef target, String intrinsic) {
        LLVMValueRef x = f.pop();
        f.push(f.intrinsic(intrinsic, new LLVMTypeRef[] {target, LLVMTypeOf(x)}, x));
    }
}
