package dev.uniwasm.wasm;

public record CustomSection(String name, int contentStart, int contentEnd) {}
