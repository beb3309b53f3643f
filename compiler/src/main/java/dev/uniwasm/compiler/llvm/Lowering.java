package dev.uniwasm.compiler.llvm;

import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Opcode;

/** Compiles one instruction of a family, its operands on the {@link FunctionTranslator}'s stack. */
@FunctionalInterface
interface Lowering {
    void lower(FunctionTranslator f, Opcode op, InstructionReader r);

    /**
     * The one lowering of each {@link Opcode.Family}. The switch has no default, so a new family
     * does not compile until it is given a lowering.
     */
    static Lowering of(Opcode.Family family) {
        return switch (family) {
            case CONTROL -> FunctionTranslator::control;
            case PARAMETRIC -> FunctionTranslator::parametric;
            case VARIABLE -> FunctionTranslator::variable;
            case NUMERIC -> NumericLowering::lower;
            case MEMORY -> MemoryLowering::lower;
            case TABLE -> TableLowering::lower;
            case SIMD_MEMORY -> SimdMemoryLowering::lower;
            case SIMD_LANE -> SimdLaneLowering::lower;
            case SIMD_INTEGER -> SimdIntegerLowering::lower;
            case SIMD_FLOAT -> SimdFloatLowering::lower;
            case SIMD_CONVERSION -> SimdConversionLowering::lower;
        };
    }
}
