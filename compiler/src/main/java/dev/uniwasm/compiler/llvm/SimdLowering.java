package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.wasm.InstructionReader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * The vector helpers that the SIMD lowerings (SimdMemoryLowering, SimdLaneLowering,
 * SimdIntegerLowering, SimdFloatLowering, SimdConversionLowering) share. Every v128 lives on the
 * operand stack as {@code <2 x i64>}; an instruction bitcasts its operands to the lane shape it
 * works on and its result back, and LLVM folds the casts. Lowering sticks to generic IR and target-independent intrinsics so that the x86 back end picks the
 * instructions for the configured CPU level, except where the generic form compiles badly: two SSSE3
 * intrinsics (i8x16.swizzle, i16x8.q15mulr_sat_s) and hand-written saturating truncations.
 */
final class SimdLowering {
    private SimdLowering() {}

    // ---- operand stack in lane shapes ----

    /** Pops a v128 and reinterprets it as `shape`. */
    static LLVMValueRef popAs(FunctionTranslator f, LLVMTypeRef shape) {
        return cast(f, f.pop(), shape);
    }

    /** Pushes a 128-bit vector of any lane shape as the stack's v128 representation. */
    static void pushV128(FunctionTranslator f, LLVMValueRef vector) {
        f.push(cast(f, vector, f.t.v128));
    }

    static LLVMValueRef cast(FunctionTranslator f, LLVMValueRef v, LLVMTypeRef type) {
        if (LLVMTypeOf(v).equals(type)) return v;
        return LLVMBuildBitCast(f.b, v, type, "");
    }

    /** Lane immediates are validated; this guards against a decoder that let one through. */
    static void checkLane(FunctionTranslator f, InstructionReader r, LLVMTypeRef shape) {
        if (r.lane < 0 || r.lane >= lanes(shape)) {
            throw f.error("lane index " + r.lane + " out of range for " + lanes(shape) + " lanes");
        }
    }

    // ---- vector construction ----

    static int lanes(LLVMTypeRef vector) {
        return LLVMGetVectorSize(vector);
    }

    static LLVMTypeRef laneType(LLVMTypeRef vector) {
        return LLVMGetElementType(vector);
    }

    /** The vector type with `lanes` lanes of `element`. */
    static LLVMTypeRef vectorOf(LLVMTypeRef element, int lanes) {
        return LLVMVectorType(element, lanes);
    }

    /** The integer vector with the same lane count and lanes twice as wide. */
    static LLVMTypeRef widened(FunctionTranslator f, LLVMTypeRef vector, int lanes) {
        int bits = LLVMGetIntTypeWidth(laneType(vector));
        return vectorOf(LLVMIntTypeInContext(f.t.ctx, bits * 2), lanes);
    }

    /** Every lane of `vector` set to the scalar `value` (already of the lane type). */
    static LLVMValueRef splat(FunctionTranslator f, LLVMTypeRef vector, LLVMValueRef value) {
        LLVMValueRef one = LLVMBuildInsertElement(f.b, LLVMGetPoison(vector), value, f.i32(0), "");
        LLVMValueRef zeroMask = LLVMConstNull(vectorOf(f.t.i32, lanes(vector)));
        return LLVMBuildShuffleVector(f.b, one, LLVMGetPoison(vector), zeroMask, "");
    }

    /** A constant integer vector with every lane equal to `value`. */
    static LLVMValueRef constSplat(LLVMTypeRef vector, long value) {
        int n = lanes(vector);
        LLVMValueRef lane = LLVMConstInt(laneType(vector), value, 1);
        LLVMValueRef[] elements = new LLVMValueRef[n];
        java.util.Arrays.fill(elements, lane);
        return LLVMConstVector(new PointerPointer<>(elements), n);
    }

    /** A constant float vector with every lane equal to `value`. */
    static LLVMValueRef splatReal(LLVMTypeRef vector, double value) {
        LLVMValueRef[] elements = new LLVMValueRef[lanes(vector)];
        java.util.Arrays.fill(elements, LLVMConstReal(laneType(vector), value));
        return LLVMConstVector(new PointerPointer<>(elements), elements.length);
    }

    /** shufflevector with a constant mask: result lane i takes lane mask[i] of a ++ b. */
    static LLVMValueRef shuffle(FunctionTranslator f, LLVMValueRef a, LLVMValueRef b, int... mask) {
        LLVMValueRef[] indices = new LLVMValueRef[mask.length];
        for (int i = 0; i < mask.length; i++) indices[i] = f.i32(mask[i]);
        LLVMValueRef maskVector = LLVMConstVector(new PointerPointer<>(indices), mask.length);
        return LLVMBuildShuffleVector(f.b, a, b, maskVector, "");
    }

    /** Lanes [first, first + count) of `v` as a narrower vector. */
    static LLVMValueRef slice(FunctionTranslator f, LLVMValueRef v, int first, int count) {
        return shuffle(f, v, LLVMGetPoison(LLVMTypeOf(v)), range(first, count, 1));
    }

    /** Lanes first, first + step, ... (count of them) of `v`. */
    static LLVMValueRef strided(FunctionTranslator f, LLVMValueRef v, int first, int count, int step) {
        return shuffle(f, v, LLVMGetPoison(LLVMTypeOf(v)), range(first, count, step));
    }

    static int[] range(int first, int count, int step) {
        int[] r = new int[count];
        for (int i = 0; i < count; i++) r[i] = first + i * step;
        return r;
    }

    /** An i1 lane mask widened to all-ones / all-zero lanes of `shape`, as Wasm comparisons yield. */
    static LLVMValueRef maskToLanes(FunctionTranslator f, LLVMValueRef mask, LLVMTypeRef shape) {
        return LLVMBuildSExt(f.b, mask, shape, "");
    }

    static LLVMValueRef intrinsic1(FunctionTranslator f, String name, LLVMValueRef x) {
        return f.intrinsic(name, new LLVMTypeRef[] {LLVMTypeOf(x)}, x);
    }

    static LLVMValueRef intrinsic2(FunctionTranslator f, String name, LLVMValueRef x, LLVMValueRef y) {
        return f.intrinsic(name, new LLVMTypeRef[] {LLVMTypeOf(x)}, x, y);
    }
}
