package dev.uniwasm.wasm;

import java.util.List;

/** A function type. */
public record FuncType(List<ValType> params, List<ValType> results) {
    public FuncType {
        params = List.copyOf(params);
        results = List.copyOf(results);
    }

    /** Canonical text used to compare types across modules: param letters, ':', result letters. */
    public String signature() {
        StringBuilder sb = new StringBuilder();
        for (ValType t : params) sb.append(t.letter);
        sb.append(':');
        for (ValType t : results) sb.append(t.letter);
        return sb.toString();
    }

    @Override
    public String toString() {
        return "(func " + params + " -> " + results + ")";
    }
}
