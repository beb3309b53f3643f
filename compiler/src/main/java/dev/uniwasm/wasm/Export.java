package dev.uniwasm.wasm;

public record Export(String name, ExternKind kind, int index) {}
