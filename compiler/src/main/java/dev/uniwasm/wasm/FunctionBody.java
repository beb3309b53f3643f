package dev.uniwasm.wasm;

/**
 * A function's code: its declared locals (expanded, parameters not included) and its instruction
 * bytes [codeStart, codeEnd), which end with the function's final {@code end}.
 */
public record FunctionBody(ValType[] locals, int codeStart, int codeEnd) {}
