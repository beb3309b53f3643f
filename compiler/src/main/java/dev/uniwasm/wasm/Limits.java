package dev.uniwasm.wasm;

/** Table or memory limits; {@code max} is {@link #NO_MAX} when absent. */
public record Limits(long min, long max) {
    public static final long NO_MAX = -1;

    public boolean hasMax() {
        return max != NO_MAX;
    }
}
