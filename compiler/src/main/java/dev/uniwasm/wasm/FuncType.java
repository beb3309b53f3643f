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

    /** The type of a {@link #signature()} string such as "ili:i"; the inverse of that method. */
    public static FuncType ofSignature(String signature) {
        int colon = signature.indexOf(':');
        if (colon < 0 || signature.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException("not a signature: \"" + signature + "\"");
        }
        return new FuncType(letters(signature.substring(0, colon)), letters(signature.substring(colon + 1)));
    }

    private static List<ValType> letters(String s) {
        return s.chars()
                .mapToObj(c -> {
                    ValType t = ValType.fromLetter((char) c);
                    if (t == null) throw new IllegalArgumentException("not a value type letter: '" + (char) c + "'");
                    return t;
                })
                .toList();
    }

    /**
     * The type as people write it in messages: {@code (i32, i64) -> i32}; no results read
     * {@code ()}, several {@code (i32, i32)}.
     */
    public String text() {
        return list(params) + " -> " + (results.size() == 1 ? results.get(0).toString() : list(results));
    }

    private static String list(List<ValType> types) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(types.get(i));
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return "(func " + params + " -> " + results + ")";
    }
}
