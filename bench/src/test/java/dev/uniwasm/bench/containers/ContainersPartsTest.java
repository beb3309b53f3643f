package dev.uniwasm.bench.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uniwasm.bench.core.BenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainersPartsTest {
    @TempDir
    Path dir;

    @Test
    void readsCtrTaskList() {
        Map<String, TaskList.Task> tasks = TaskList.parse("TASK          PID      STATUS    \nuniwasm-10-0  19930    RUNNING\nrunc-10-1     20001    STOPPED\n");
        assertEquals(List.of("uniwasm-10-0", "runc-10-1"), List.copyOf(tasks.keySet()));
        assertEquals(new TaskList.Task("uniwasm-10-0", 19930, "RUNNING"), tasks.get("uniwasm-10-0"));
        assertEquals("STOPPED", tasks.get("runc-10-1").status());
        assertEquals(Map.of(), TaskList.parse("TASK    PID    STATUS    \n"));
        assertThrows(BenchException.class, () -> TaskList.parse(""));
        assertThrows(BenchException.class, () -> TaskList.parse("ID PID\n"));
        BenchException e = assertThrows(BenchException.class, () -> TaskList.parse("TASK PID STATUS\nx abc RUNNING\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void pairsCreateAndStartSpans() {
        Map<String, RuntimeTimings.Span> spans = RuntimeTimings.parse(
                "create a 1000000000 1030000000 0\ncreate b 1000000000 1010000000 0\nstart a 2000000000 2005000000 0\n"
                        + "start b 2000000000 2002000000 0\n", "log");
        assertEquals(35.0, spans.get("a").totalMillis(), 1e-9);
        assertEquals(10.0, spans.get("b").createMillis(), 1e-9);
        assertEquals(2.0, spans.get("b").startMillis(), 1e-9);
        assertThrows(BenchException.class, () -> RuntimeTimings.parse("create a 1 2 0\n", "log"), "never started");
        assertThrows(BenchException.class, () -> RuntimeTimings.parse("start a 1 2 0\n", "log"), "never created");
        assertThrows(BenchException.class, () -> RuntimeTimings.parse("create a 1 2 1\nstart a 3 4 0\n", "log"), "failed create");
        assertThrows(BenchException.class, () -> RuntimeTimings.parse("create a 1 2 0\ncreate a 1 2 0\nstart a 3 4 0\n", "log"));
        assertThrows(BenchException.class, () -> RuntimeTimings.parse("delete a 1 2 0\n", "log"));
    }

    /** The wrapper passes every argument through, keeps the status, and logs only create and start with the container id. */
    @Test
    void wrapperRunsTheRuntimeAndLogsCreateAndStart() throws Exception {
        Path runtime = dir.resolve("fake-runtime");
        Path calls = dir.resolve("calls");
        Files.writeString(runtime, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n[ \"$1\" = fail ] && exit 3\nexit 0\n");
        runtime.toFile().setExecutable(true);
        Path wrapper = dir.resolve("wrapper"), log = dir.resolve("timings.log");
        RuntimeTimings.writeWrapper(wrapper, runtime, log);
        assertEquals(0, run(wrapper, "--root", "/r", "--log", "/l", "create", "--bundle", "/b", "--pid-file", "/p", "c1"));
        assertEquals(0, run(wrapper, "--root", "/r", "start", "c1"));
        assertEquals(0, run(wrapper, "--root", "/r", "state", "c1"));
        assertEquals(3, run(wrapper, "fail", "x"));
        assertEquals("--root /r --log /l create --bundle /b --pid-file /p c1\n--root /r start c1\n--root /r state c1\nfail x\n",
                Files.readString(calls));
        Map<String, RuntimeTimings.Span> spans = RuntimeTimings.parse(Files.readString(log), log.toString());
        assertEquals(List.of("c1"), List.copyOf(spans.keySet()));
        assertTrue(spans.get("c1").totalMillis() >= 0);
    }

    private static int run(Path wrapper, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(wrapper.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the wrapper did not end");
        }
        return p.exitValue();
    }

    @Test
    void findsMountsUnderAFolder() {
        String info = "22 1 0:21 / / rw - ext4 /dev/vda rw\n"
                + "90 22 0:50 / /w/cd/state/task/ns/id/rootfs rw - overlay overlay rw\n"
                + "91 22 0:51 / /w/cd2 rw - tmpfs tmpfs rw\n"
                + "92 22 0:52 / /w/cd/with\\040space rw - tmpfs tmpfs rw\n";
        assertEquals(List.of("/w/cd/state/task/ns/id/rootfs", "/w/cd/with space"), Mounts.under(info, "/w/cd"));
        assertEquals(List.of(), Mounts.under(info, "/x"));
    }

    @Test
    void readsTheParentPid() {
        assertEquals(19918, ContainersSuite.parentPid("Name:\tsleeper\nPid:\t19930\nPPid:\t19918\n", "status"));
        assertThrows(BenchException.class, () -> ContainersSuite.parentPid("Name:\tx\n", "status"));
        assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), ContainersSuite.parentPid(ProcessHandle.current().pid()));
    }
}
