package dev.uniwasm.compiler.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.uniwasm.wasm.FuncType;
import dev.uniwasm.wasm.ValType;
import java.util.List;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;

/** The LLVM types of one context, and the mapping from Wasm types. */
final class LlvmTypes {
    final LLVMContextRef ctx;
    final LLVMTypeRef voidT, i1, i8, i16, i32, i64, f32, f64, ptr;
    /** The operand-stack representation of v128; SIMD lowering bitcasts to lane shapes. */
    final LLVMTypeRef v128;

    final LLVMTypeRef i8x16, i16x8, i32x4, i64x2, f32x4, f64x2;

    LlvmTypes(LLVMContextRef ctx) {
        this.ctx = ctx;
        voidT = LLVMVoidTypeInContext(ctx);
        i1 = LLVMInt1TypeInContext(ctx);
        i8 = LLVMInt8TypeInContext(ctx);
        i16 = LLVMInt16TypeInContext(ctx);
        i32 = LLVMInt32TypeInContext(ctx);
        i64 = LLVMInt64TypeInContext(ctx);
        f32 = LLVMFloatTypeInContext(ctx);
        f64 = LLVMDoubleTypeInContext(ctx);
        ptr = LLVMPointerTypeInContext(ctx, 0);
        i8x16 = LLVMVectorType(i8, 16);
        i16x8 = LLVMVectorType(i16, 8);
        i32x4 = LLVMVectorType(i32, 4);
        i64x2 = LLVMVectorType(i64, 2);
        f32x4 = LLVMVectorType(f32, 4);
        f64x2 = LLVMVectorType(f64, 2);
        v128 = i64x2;
    }

    LLVMTypeRef of(ValType t) {
        return switch (t) {
            case I32 -> i32;
            case I64 -> i64;
            case F32 -> f32;
            case F64 -> f64;
            case V128 -> v128;
            case FUNCREF, EXTERNREF -> ptr;
        };
    }

    /** The integer type of a memory access {@code bytes} wide (1, 2, 4 or 8). */
    LLVMTypeRef integer(int bytes) {
        return switch (bytes) {
            case 1 -> i8;
            case 2 -> i16;
            case 4 -> i32;
            case 8 -> i64;
            default -> throw new IllegalArgumentException("no integer type of " + bytes + " bytes");
        };
    }

    /** The integer vector whose lanes are {@code laneBytes} wide (1, 2, 4 or 8). */
    LLVMTypeRef integerLanes(int laneBytes) {
        return LLVMVectorType(integer(laneBytes), 16 / laneBytes);
    }

    /** void, the single result, or a literal struct of the results. */
    LLVMTypeRef results(List<ValType> results) {
        if (results.isEmpty()) return voidT;
        if (results.size() == 1) return of(results.get(0));
        return struct(results.stream().map(this::of).toArray(LLVMTypeRef[]::new));
    }

    LLVMTypeRef struct(LLVMTypeRef... fields) {
        return LLVMStructTypeInContext(ctx, new PointerPointer<>(fields), fields.length, 0);
    }

    /** The native signature of a Wasm function type: the instance context, then the parameters. */
    LLVMTypeRef function(FuncType type) {
        LLVMTypeRef[] params = new LLVMTypeRef[type.params().size() + 1];
        params[0] = ptr;
        for (int i = 0; i < type.params().size(); i++)
            params[i + 1] = of(type.params().get(i));
        return fn(results(type.results()), params);
    }

    LLVMTypeRef fn(LLVMTypeRef ret, LLVMTypeRef... params) {
        return LLVMFunctionType(ret, new PointerPointer<>(params), params.length, 0);
    }
}
