package dev.uniwasm.wasm;

public record Import(String module, String name, ImportDesc desc) {}
