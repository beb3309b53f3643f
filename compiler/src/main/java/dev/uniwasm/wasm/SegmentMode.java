package dev.uniwasm.wasm;

public enum SegmentMode {
    ACTIVE,
    PASSIVE,
    DECLARATIVE
}
