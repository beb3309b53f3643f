package dev.uniwasm.wasm;

public record Global(GlobalType type, Expr init) {}
