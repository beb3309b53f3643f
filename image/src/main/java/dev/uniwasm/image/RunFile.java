package dev.uniwasm.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The run file: how {@code uniwasm run --isolation process} hands a process executable its run-time
 * boot configuration, memory limit and parent (kernel/README.md, "The process platform"). The
 * process finds it through the environment variable {@value #VARIABLE}, maps it, unlinks it, and
 * appends its control lines ({@code exit N}, {@code log ...}) to it through the descriptor it keeps,
 * which the caller reads through its own.
 *
 * <p>Little-endian: magic "UWPR", u16 version 1, u16 flags (test hooks, {@link #TEST_FORBIDDEN_CALL}
 * and {@link #TEST_SOCKET_CALL}: system calls the process makes right after its sandbox is installed), u32 the expected parent's pid, u32 0, u64 memory
 * limit in bytes (0: the one baked in), u32 offset and u32 size of the boot configuration (0, 0:
 * none), then the configuration (8-aligned).
 */
public record RunFile(BootConfig config, long memoryBytes, long parentPid, int testCalls) {
    public static final String VARIABLE = "UNIWASM_RUN_FILE";
    static final byte[] MAGIC = {'U', 'W', 'P', 'R'};
    static final int VERSION = 1;
    static final int HEADER_SIZE = 32;
    /** Test hook: openat, which no filter allows: the sandbox must kill the process. */
    public static final int TEST_FORBIDDEN_CALL = 1;
    /** Test hook: socket(AF_INET, SOCK_STREAM), which the filter allows only when the outbound rules allow something. */
    public static final int TEST_SOCKET_CALL = 2;

    public RunFile {
        if (memoryBytes < 0) throw new ImageException("memory limit " + memoryBytes + " is negative");
        if ((testCalls & ~(TEST_FORBIDDEN_CALL | TEST_SOCKET_CALL)) != 0)
            throw new ImageException("unknown test calls " + testCalls);
        if (parentPid <= 0 || parentPid > 0xffffffffL)
            throw new ImageException("parent pid " + parentPid + " out of range");
    }

    public byte[] encode() {
        byte[] boot = config == null ? new byte[0] : config.encode();
        ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE + boot.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC);
        out.putShort((short) VERSION);
        out.putShort((short) testCalls);
        out.putInt((int) parentPid);
        out.putInt(0);
        out.putLong(memoryBytes);
        out.putInt(config == null ? 0 : HEADER_SIZE);
        out.putInt(boot.length);
        out.put(boot);
        return out.array();
    }
}
