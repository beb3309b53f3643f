package dev.uniwasm.wasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpcodesTest {
    private static final Set<String> NOT_INSTRUCTIONS =
            Set.of("MISC_PREFIX", "SIMD_PREFIX", "MISC_BASE", "SIMD_BASE", "DENSE_SIZE");

    @Test
    void constantNamesFollowTheTextNames() throws IllegalAccessException {
        Set<Integer> seen = new HashSet<>();
        int count = 0;
        for (Field f : Opcodes.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) continue;
            if (NOT_INSTRUCTIONS.contains(f.getName())) continue;
            int op = f.getInt(null);
            assertTrue(Opcodes.isDefined(op), f.getName());
            assertTrue(seen.add(op), "duplicate opcode value in " + f.getName());
            String expected = f.getName().equals("SELECT_T") ? "SELECT" : f.getName();
            assertEquals(expected, Opcodes.name(op).toUpperCase().replace('.', '_').replace('/', '_'));
            count++;
        }
        // 185 one-byte (incl. return_call*), 18 misc, 236 SIMD.
        assertEquals(185 + 18 + 236, count);
    }

    @Test
    void knownEncodings() {
        assertEquals(0x6A, Opcodes.I32_ADD);
        assertEquals(0xFC000, Opcodes.I32_TRUNC_SAT_F32_S);
        assertEquals(0xFC011, Opcodes.TABLE_FILL);
        assertEquals(0xFD000, Opcodes.V128_LOAD);
        assertEquals(0xFD00C, Opcodes.V128_CONST);
        assertEquals(0xFD082, Opcodes.I16X8_Q15MULR_SAT_S);
        assertEquals(0xFD0BA, Opcodes.I32X4_DOT_I16X8_S);
        assertEquals(0xFD0FF, Opcodes.F64X2_CONVERT_LOW_I32X4_U);
        assertEquals("i16x8.extmul_low_i8x16_s", Opcodes.name(Opcodes.I16X8_EXTMUL_LOW_I8X16_S));
    }

    @Test
    void holesAreUndefined() {
        assertFalse(Opcodes.isDefined(0x06));
        assertFalse(Opcodes.isDefined(0x27));
        assertFalse(Opcodes.isDefined(0xFC012));
        assertFalse(Opcodes.isDefined(0xFD09A));
        assertFalse(Opcodes.isDefined(0xFD0A2));
        assertFalse(Opcodes.isDefined(0xFD100));
        assertEquals("<unknown 0xfd 0x9a>", Opcodes.name(0xFD09A));
    }
}
