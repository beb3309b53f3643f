package dev.uniwasm.compiler.llvm;

import dev.uniwasm.wasm.DataSegment;
import dev.uniwasm.wasm.Expr;
import dev.uniwasm.wasm.InstructionReader;
import dev.uniwasm.wasm.Module;
import dev.uniwasm.wasm.Opcode;
import dev.uniwasm.wasm.SegmentMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive active data segments that instantiation may write as one: the bytes of a run of them,
 * their gaps filled with zeros, placed like one large segment so that the runtime maps its whole
 * pages from the executable instead of copying them (abi.h, UW_DATA_MAP_MIN_BYTES). Toolchains emit
 * thousands of small segments side by side (CPython's python.wasm: 24,170 in 8 MiB), each too small
 * to map alone.
 *
 * <p>Writing a run at once is what writing its members in order does when the memory is the
 * module's own (it is all zeros before the first segment, so a gap written with zeros is unchanged),
 * every active segment of that memory lies after the one before it (so no earlier segment wrote into
 * a gap), and the run ends within the memory's initial size (so no member traps half-way).
 */
final class DataRuns {
    /** Runs only bridge gaps this small: a larger one would put more zeros in the file than it saves. */
    static final int MAX_GAP = Abi.HOST_PAGE_SIZE;

    /** Segments first..last (indexes into the module's data), written at offset as length bytes. */
    record Run(int memory, int first, int last, long offset, int length) {}

    private DataRuns() {}

    /** The runs of at least {@link Abi#DATA_MAP_MIN_BYTES} with two members or more, in segment order. */
    static List<Run> of(Module m) {
        List<Run> runs = new ArrayList<>();
        for (int memory = m.numImportedMemories; memory < m.memories.size(); memory++) {
            long[] offsets = orderedOffsets(m, memory);
            if (offsets == null) continue;
            long size = m.memories.get(memory).limits().min() * 65536L;
            int first = -1, last = -1;
            long start = 0, end = 0;
            for (int i = 0; i <= m.data.size(); i++) {
                DataSegment seg = i < m.data.size() ? m.data.get(i) : null;
                boolean member = seg != null && seg.mode() == SegmentMode.ACTIVE && seg.memory() == memory;
                if (seg != null && !member) continue; // another memory's or a passive segment: not in the way
                boolean joins = member
                        && first >= 0
                        && offsets[i] - end <= MAX_GAP
                        && offsets[i] + seg.length() - start <= Integer.MAX_VALUE;
                if (joins) {
                    last = i;
                    end = offsets[i] + seg.length();
                    continue;
                }
                if (last > first && end - start >= Abi.DATA_MAP_MIN_BYTES && end <= size)
                    runs.add(new Run(memory, first, last, start, (int) (end - start)));
                if (member) {
                    first = last = i;
                    start = offsets[i];
                    end = start + seg.length();
                }
            }
        }
        runs.sort((a, b) -> Integer.compare(a.first(), b.first()));
        return runs;
    }

    /**
     * The constant offsets of the active segments of a memory by segment index, when every one is a
     * constant and each lies after the one before it; else null.
     */
    private static long[] orderedOffsets(Module m, int memory) {
        long[] offsets = new long[m.data.size()];
        long end = 0;
        for (int i = 0; i < m.data.size(); i++) {
            DataSegment seg = m.data.get(i);
            if (seg.mode() != SegmentMode.ACTIVE || seg.memory() != memory) continue;
            Long offset = constantOffset(m, seg.offset());
            if (offset == null || Long.compareUnsigned(offset, end) < 0) return null;
            offsets[i] = offset;
            end = offset + seg.length();
        }
        return offsets;
    }

    /** The bytes a run writes: its members' bytes at their places, zeros between. */
    static byte[] bytes(Module m, Run run) {
        byte[] out = new byte[run.length()];
        for (int i = run.first(); i <= run.last(); i++) {
            DataSegment seg = m.data.get(i);
            if (seg.mode() != SegmentMode.ACTIVE || seg.memory() != run.memory()) continue;
            int at = (int) (constantOffset(m, seg.offset()) - run.offset());
            System.arraycopy(m.bytes, seg.dataStart(), out, at, seg.length());
        }
        return out;
    }

    /** The value of an offset expression that is one i32.const, or null. */
    static Long constantOffset(Module m, Expr expr) {
        InstructionReader r = new InstructionReader(m.bytes, expr.start(), expr.end());
        if (!r.hasNext()) return null;
        Opcode op = r.next();
        if (op != Opcode.I32_CONST) return null;
        long value = r.constBits & 0xffffffffL;
        if (!r.hasNext() || r.next() != Opcode.END || r.hasNext()) return null;
        return value;
    }
}
