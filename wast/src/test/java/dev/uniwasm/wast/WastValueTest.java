package dev.uniwasm.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WastValueTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        return (Map<String, Object>) Json.parse(text);
    }

    @Test
    void encodesArguments() {
        assertEquals("i32:ffffffff", WastValue.argument(json("{\"type\": \"i32\", \"value\": \"4294967295\"}")));
        assertEquals(
                "i64:8000000000000000",
                WastValue.argument(json("{\"type\": \"i64\", \"value\": \"9223372036854775808\"}")));
        assertEquals("f32:7fc00000", WastValue.argument(json("{\"type\": \"f32\", \"value\": \"2143289344\"}")));
        assertEquals("externref:0", WastValue.argument(json("{\"type\": \"externref\", \"value\": \"0\"}")));
        assertEquals("funcref:null", WastValue.argument(json("{\"type\": \"funcref\", \"value\": \"null\"}")));
        assertEquals(
                "v128:0100000002000000ffffffff00000080",
                WastValue.argument(
                        json(
                                "{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"1\", \"2\", \"4294967295\", \"2147483648\"]}")));
        assertEquals(
                "v128:01ff" + "00".repeat(14),
                WastValue.argument(json("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": [\"1\", \"255\""
                        + ", \"0\"".repeat(14) + "]}")));
    }

    @Test
    void matchesNaNPatterns() {
        Map<String, Object> canonical = json("{\"type\": \"f32\", \"value\": \"nan:canonical\"}");
        assertNull(WastValue.mismatch(canonical, "f32:7fc00000"));
        assertNull(WastValue.mismatch(canonical, "f32:ffc00000"));
        assertNotNull(WastValue.mismatch(canonical, "f32:7fc00001"));
        Map<String, Object> arithmetic = json("{\"type\": \"f64\", \"value\": \"nan:arithmetic\"}");
        assertNull(WastValue.mismatch(arithmetic, "f64:7ff8000000000001"));
        assertNull(WastValue.mismatch(arithmetic, "f64:fff8000000000000"));
        assertNotNull(WastValue.mismatch(arithmetic, "f64:7ff0000000000001"), "signalling NaN is not arithmetic");
        assertNotNull(WastValue.mismatch(arithmetic, "f64:3ff0000000000000"));
    }

    @Test
    void matchesLanesAndReferences() {
        Map<String, Object> lanes = json(
                "{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"nan:canonical\", \"1065353216\", \"0\", \"2147483648\"]}");
        assertNull(WastValue.mismatch(lanes, "v128:0000c07f0000803f0000000000000080"));
        assertNotNull(WastValue.mismatch(lanes, "v128:0000c07f0000803f0000000000000000"));
        assertNull(WastValue.mismatch(json("{\"type\": \"externref\", \"value\": \"137\"}"), "externref:89"));
        assertNotNull(WastValue.mismatch(json("{\"type\": \"externref\", \"value\": \"137\"}"), "externref:null"));
        assertNull(WastValue.mismatch(json("{\"type\": \"funcref\", \"value\": \"null\"}"), "funcref:null"));
        assertNull(WastValue.mismatch(json("{\"type\": \"funcref\"}"), "funcref:7f001234"));
        assertNotNull(WastValue.mismatch(json("{\"type\": \"i32\", \"value\": \"1\"}"), "i64:0000000000000001"));
    }

    @Test
    void parsesJson() {
        Object v = Json.parse("{\"a\": [1, -2.5e3, true, null, \"x\\u0041\\n\"], \"b\": {}}");
        assertEquals(Map.of("a", java.util.Arrays.asList(1L, -2500.0, true, null, "xA\n"), "b", Map.of()), v);
        assertEquals(List.of(), Json.parse(" [ ] "));
    }
}
