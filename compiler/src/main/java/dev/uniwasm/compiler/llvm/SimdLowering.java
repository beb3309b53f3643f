package dev.uniwasm.compiler.llvm;

import dev.uniwasm.wasm.InstructionReader;

/** 128-bit SIMD instructions. */
final class SimdLowering {
    private SimdLowering() {}

    static boolean lower(FunctionTranslator f, int op, InstructionReader r) {
        return false;
    }
}
