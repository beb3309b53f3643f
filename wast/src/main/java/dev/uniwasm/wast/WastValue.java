package dev.uniwasm.wast;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Values of wast2json's JSON ({"type": "i32", "value": "42"}, v128 with "lane_type" and lane list,
 * "nan:canonical"/"nan:arithmetic" patterns, references) converted to the host protocol's tokens
 * (TYPE:HEXBITS) and compared with the host's results.
 */
final class WastValue {
    private WastValue() {}

    /** The protocol token for an argument. */
    static String argument(Map<String, Object> v) {
        String type = (String) v.get("type");
        Object value = v.get("value");
        return switch (type) {
            case "i32", "f32" ->
                type + ":" + String.format("%08x", parseBits(value, 32).intValue());
            case "i64", "f64" ->
                type + ":" + String.format("%016x", parseBits(value, 64).longValue());
            case "v128" -> "v128:" + v128Hex(v);
            case "externref" ->
                "null".equals(value)
                        ? "externref:null"
                        : "externref:" + Long.toHexString(parseBits(value, 64).longValue());
            case "funcref" -> {
                if ("null".equals(value)) yield "funcref:null";
                throw new IllegalArgumentException("a non-null funcref argument cannot be written in a script");
            }
            default -> throw new IllegalArgumentException("unknown value type " + type);
        };
    }

    /** The bits of a decimal (possibly negative) JSON value, reduced to `bits` bits. */
    private static BigInteger parseBits(Object value, int bits) {
        BigInteger n = new BigInteger(String.valueOf(value));
        return n.and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
    }

    private static int laneBits(String laneType) {
        return switch (laneType) {
            case "i8" -> 8;
            case "i16" -> 16;
            case "i32", "f32" -> 32;
            case "i64", "f64" -> 64;
            default -> throw new IllegalArgumentException("unknown v128 lane type " + laneType);
        };
    }

    private static String v128Hex(Map<String, Object> v) {
        String laneType = (String) v.get("lane_type");
        @SuppressWarnings("unchecked")
        List<Object> lanes = (List<Object>) v.get("value");
        int bits = laneBits(laneType);
        byte[] bytes = new byte[16];
        for (int i = 0; i < lanes.size(); i++) {
            long lane = parseBits(lanes.get(i), bits).longValue();
            for (int b = 0; b < bits / 8; b++) bytes[i * bits / 8 + b] = (byte) (lane >>> (8 * b));
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) sb.append(String.format("%02x", b & 0xff));
        return sb.toString();
    }

    /** Null when the host's result token satisfies the expectation, otherwise what differs. */
    static String mismatch(Map<String, Object> expected, String actual) {
        String type = (String) expected.get("type");
        int colon = actual.indexOf(':');
        String actualType = colon < 0 ? actual : actual.substring(0, colon);
        String bits = colon < 0 ? "" : actual.substring(colon + 1);
        if (!type.equals(actualType)) return "expected a " + type + ", got " + actual;
        Object value = expected.get("value");
        boolean ok = switch (type) {
            case "i32", "f32" -> scalarMatches(value, Long.parseUnsignedLong(bits, 16), 32);
            case "i64", "f64" -> scalarMatches(value, Long.parseUnsignedLong(bits, 16), 64);
            case "v128" -> v128Matches(expected, bits);
            case "externref" ->
                "null".equals(value)
                        ? bits.equals("null")
                        : !bits.equals("null")
                                && Long.parseUnsignedLong(bits, 16)
                                        == parseBits(value, 64).longValue();
            case "funcref" -> "null".equals(value) ? bits.equals("null") : !bits.equals("null");
            default -> false;
        };
        return ok ? null : "expected " + describe(expected) + ", got " + actual;
    }

    private static boolean scalarMatches(Object expected, long actual, int bits) {
        String e = String.valueOf(expected);
        if (e.startsWith("nan:")) return nanMatches(e, actual, bits);
        return parseBits(e, bits).longValue() == actual;
    }

    /** nan:canonical is exactly the quiet NaN with an empty payload (either sign); nan:arithmetic any
     * quiet NaN. */
    private static boolean nanMatches(String pattern, long actual, int bits) {
        long exponentAndQuiet = bits == 32 ? 0x7fc00000L : 0x7ff8000000000000L;
        long signMask = bits == 32 ? 0x80000000L : 0x8000000000000000L;
        long magnitude = actual & ~signMask;
        return switch (pattern) {
            case "nan:canonical" -> magnitude == exponentAndQuiet;
            case "nan:arithmetic" -> (magnitude & exponentAndQuiet) == exponentAndQuiet;
            default -> false;
        };
    }

    private static boolean v128Matches(Map<String, Object> expected, String hex) {
        if (hex.length() != 32) return false;
        byte[] bytes = new byte[16];
        for (int i = 0; i < 16; i++) bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        String laneType = (String) expected.get("lane_type");
        int bits = laneBits(laneType);
        @SuppressWarnings("unchecked")
        List<Object> lanes = (List<Object>) expected.get("value");
        for (int i = 0; i < lanes.size(); i++) {
            long lane = 0;
            for (int b = bits / 8 - 1; b >= 0; b--) lane = lane << 8 | (bytes[i * bits / 8 + b] & 0xff);
            if (!scalarMatches(lanes.get(i), lane, bits)) return false;
        }
        return true;
    }

    static String describe(Map<String, Object> v) {
        String type = (String) v.get("type");
        Object value = v.get("value");
        if (type.equals("v128")) return "v128 " + v.get("lane_type") + "x" + ((List<?>) value).size() + " " + value;
        if (value == null) return type;
        String s = String.valueOf(value);
        if (s.startsWith("nan:") || s.equals("null") || type.endsWith("ref")) return type + ":" + s;
        int bits = type.equals("i32") || type.equals("f32") ? 32 : 64;
        return type + ":"
                + String.format(
                        bits == 32 ? "%08x" : "%016x", parseBits(s, bits).longValue());
    }
}
