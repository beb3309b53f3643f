package dev.uniwasm.compiler.llvm;

import static dev.uniwasm.wasm.WasmBuilder.b;
import static dev.uniwasm.wasm.WasmBuilder.cat;
import static dev.uniwasm.wasm.WasmBuilder.module;
import static dev.uniwasm.wasm.WasmBuilder.section;
import static dev.uniwasm.wasm.WasmBuilder.u32;
import static dev.uniwasm.wasm.WasmBuilder.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uniwasm.wasm.Module;
import dev.uniwasm.wasm.ModuleDecoder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which data segments instantiation writes as one run, and the bytes it writes. */
class DataRunsTest {
    private static final int KIB = 1024;

    /** An active segment of memory 0 at i32.const offset with `length` bytes of `fill`. */
    private static byte[] active(long offset, int length, int fill) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) fill);
        return cat(b(0x00, 0x41), sleb(offset), b(0x0b), u32(length), bytes);
    }

    private static byte[] passive(int length) {
        return cat(b(0x01), u32(length), new byte[length]);
    }

    /** An active segment whose offset is global 0's value. */
    private static byte[] atGlobal(int length) {
        return cat(b(0x00, 0x23, 0x00, 0x0b), u32(length), new byte[length]);
    }

    private static byte[] sleb(long v) {
        var out = new java.io.ByteArrayOutputStream();
        while (true) {
            int low = (int) (v & 0x7f);
            v >>= 7;
            boolean done = (v == 0 && (low & 0x40) == 0) || (v == -1 && (low & 0x40) != 0);
            out.write(done ? low : low | 0x80);
            if (done) return out.toByteArray();
        }
    }

    /** A module with one memory of `pages` minimum pages (imported when asked) and these segments. */
    private static Module withData(int pages, boolean imported, byte[]... segments) {
        byte[] limits = cat(b(0x00), u32(pages));
        byte[] memory = imported
                ? section(2, vec(cat(u32(1), b('m'), u32(3), b('m', 'e', 'm'), b(0x02), limits)))
                : section(5, vec(limits));
        byte[] global = section(6, vec(cat(b(0x7f, 0x00, 0x41, 0x00, 0x0b))));
        return ModuleDecoder.decode(
                module(memory, global, section(12, u32(segments.length)), section(11, vec(segments))));
    }

    @Test
    void adjacentSmallSegmentsBecomeOneRunWithZerosInTheirGaps() {
        Module m = withData(
                4,
                false,
                active(1000, 40 * KIB, 1),
                active(1000 + 40 * KIB + 100, 40 * KIB, 2),
                active(200 * KIB, 8, 3));
        List<DataRuns.Run> runs = DataRuns.of(m);
        assertEquals(List.of(new DataRuns.Run(0, 0, 1, 1000, 80 * KIB + 100)), runs);
        byte[] bytes = DataRuns.bytes(m, runs.get(0));
        assertEquals(1, bytes[0]);
        assertEquals(1, bytes[40 * KIB - 1]);
        assertArrayEquals(new byte[100], Arrays.copyOfRange(bytes, 40 * KIB, 40 * KIB + 100));
        assertEquals(2, bytes[40 * KIB + 100]);
        assertEquals(2, bytes[bytes.length - 1]);
    }

    @Test
    void aGapLargerThanAPageEndsARun() {
        Module m = withData(4, false, active(0, 40 * KIB, 1), active(40 * KIB + 4097, 40 * KIB, 2));
        assertEquals(List.of(), DataRuns.of(m)); // two runs of one: each stands alone
    }

    @Test
    void runsUnderTheMappingMinimumAreNotMade() {
        Module m = withData(4, false, active(0, 20 * KIB, 1), active(20 * KIB, 20 * KIB, 2));
        assertEquals(List.of(), DataRuns.of(m));
    }

    @Test
    void passiveSegmentsBetweenMembersDoNotEndARun() {
        Module m = withData(4, false, active(0, 40 * KIB, 1), passive(10), active(40 * KIB, 40 * KIB, 2));
        assertEquals(List.of(new DataRuns.Run(0, 0, 2, 0, 80 * KIB)), DataRuns.of(m));
    }

    @Test
    void noRunWhenSegmentsOverlapOrGoBackwards() {
        // the second writes over the first's end: writing both at once would have to know the order
        assertEquals(
                List.of(), DataRuns.of(withData(4, false, active(0, 40 * KIB, 1), active(40 * KIB - 1, 40 * KIB, 2))));
        // a later segment below an earlier one: an earlier segment might have written into a gap
        assertEquals(
                List.of(),
                DataRuns.of(withData(
                        4, false, active(100 * KIB, 8, 9), active(0, 40 * KIB, 1), active(40 * KIB, 40 * KIB, 2))));
    }

    @Test
    void noRunForAnImportedMemoryOrBeyondTheInitialSize() {
        // an imported memory's gaps may hold the exporter's bytes
        assertEquals(List.of(), DataRuns.of(withData(4, true, active(0, 40 * KIB, 1), active(40 * KIB, 40 * KIB, 2))));
        // ending past the initial size, a member would trap half-way through the run
        assertEquals(List.of(), DataRuns.of(withData(1, false, active(0, 40 * KIB, 1), active(40 * KIB, 40 * KIB, 2))));
    }

    @Test
    void noRunWhenAnOffsetIsNotAConstant() {
        assertEquals(
                List.of(),
                DataRuns.of(withData(4, false, active(0, 40 * KIB, 1), atGlobal(10), active(40 * KIB, 40 * KIB, 2))));
    }
}
