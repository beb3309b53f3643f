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
        Map<String, TaskList.Task> tasks = TaskList.parse(
                "TASK          PID      STATUS    \nuniwasm-10-0  19930    RUNNING\nrunc-10-1     20001    STOPPED\n");
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
                        + "start b 2000000000 2002000000 0\n",
                "log");
        assertEquals(35.0, spans.get("a").totalMillis(), 1e-9);
        assertEquals(10.0, spans.get("b").createMillis(), 1e-9);
        assertEquals(2.0, spans.get("b").startMillis(), 1e-9);
        assertThrows(BenchException.class, () -> RuntimeTimings.parse("create a 1 2 0\n", "log"), "never started");
        assertThrows(BenchException.class, () -> RuntimeTimings.parse("start a 1 2 0\n", "log"), "never created");
        assertThrows(
                BenchException.class,
                () -> RuntimeTimings.parse("create a 1 2 1\nstart a 3 4 0\n", "log"),
                "failed create");
        assertThrows(
                BenchException.class,
                () -> RuntimeTimings.parse("create a 1 2 0\ncreate a 1 2 0\nstart a 3 4 0\n", "log"));
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
        assertEquals(
                0, run(wrapper, "--root", "/r", "--log", "/l", "create", "--bundle", "/b", "--pid-file", "/p", "c1"));
        assertEquals(0, run(wrapper, "--root", "/r", "start", "c1"));
        assertEquals(0, run(wrapper, "--root", "/r", "state", "c1"));
        assertEquals(3, run(wrapper, "fail", "x"));
        assertEquals(
                "--root /r --log /l create --bundle /b --pid-file /p c1\n--root /r start c1\n--root /r state c1\nfail x\n",
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
    void readsTheParentPid() {
        assertEquals(19918, ContainersSuite.parentPid("Name:\tsleeper\nPid:\t19930\nPPid:\t19918\n", "status"));
        assertThrows(BenchException.class, () -> ContainersSuite.parentPid("Name:\tx\n", "status"));
        assertEquals(
                ProcessHandle.current().parent().orElseThrow().pid(),
                ContainersSuite.parentPid(ProcessHandle.current().pid()));
    }

    /** Every app under every runtime; a runtime's reason wins over an app's missing uniwasm image, which only uniwasm rows inherit. */
    @Test
    void plansARowPerAppAndRuntime() {
        List<ContainersSuite.Row> rows = ContainersSuite.plan(
                ContainerApps.APPS,
                ContainersSuite.RUNTIMES,
                Map.of("http", "no --tcplisten"),
                Map.of("uniwasm-vm", "vm refused"));
        assertEquals(ContainerApps.APPS.size() * ContainersSuite.RUNTIMES.size(), rows.size());
        assertEquals(
                List.of("idle", "http", "cpython"),
                ContainerApps.APPS.stream().map(ContainerApps.App::name).toList());
        assertEquals(
                List.of("uniwasm-process", "uniwasm-vm", "crun", "runc"),
                ContainersSuite.RUNTIMES.stream()
                        .map(ContainersSuite.Runtime::name)
                        .toList());
        Map<String, String> skip = new java.util.HashMap<>();
        for (ContainersSuite.Row r : rows)
            skip.put(r.app().name() + " " + r.runtime().name(), String.valueOf(r.skip()));
        assertEquals("null", skip.get("idle uniwasm-process"));
        assertEquals("vm refused", skip.get("idle uniwasm-vm"));
        assertEquals("no --tcplisten", skip.get("http uniwasm-process"));
        assertEquals("vm refused", skip.get("http uniwasm-vm"));
        assertEquals("null", skip.get("http crun"));
        assertEquals("null", skip.get("http runc"));
        assertEquals("null", skip.get("cpython uniwasm-process"));
    }

    @Test
    void keepsTheStandardLibraryFilesPythonLoaded() {
        String listing =
                "/usr/lib/python3.11\n/usr/lib/python3.11/os.py\n/usr/lib/python3.11/__pycache__/os.cpython-311.pyc\n"
                        + "/usr/lib/python3.11/encodings/__init__.py\n/usr/lib/python3.11/os.py\n"
                        + "/usr/lib/python3/dist-packages/_distutils_hack/__init__.py\n/usr/lib/python3.11/site-packages/x.py\n/elsewhere.py\n";
        assertEquals(
                List.of(
                        "/usr/lib/python3.11/__pycache__/os.cpython-311.pyc",
                        "/usr/lib/python3.11/encodings/__init__.py",
                        "/usr/lib/python3.11/os.py"),
                ContainerApps.stdlibFiles(listing));
        assertThrows(
                BenchException.class,
                () -> ContainerApps.stdlibFiles("/usr/lib/python3.11\n/usr/lib/python3.11/site.py\n"),
                "no landmark");
        assertThrows(BenchException.class, () -> ContainerApps.stdlibFiles(""));
    }

    @Test
    void anAnswerIsStatus200WithExactlyThePage() {
        String page = ContainerApps.HTTP_PAGE;
        assertTrue(NetnsProbe.isPage(page + NetnsProbe.STATUS_MARK + "200", page));
        assertTrue(!NetnsProbe.isPage(page + NetnsProbe.STATUS_MARK + "404", page));
        assertTrue(!NetnsProbe.isPage("other" + NetnsProbe.STATUS_MARK + "200", page));
        assertTrue(!NetnsProbe.isPage(NetnsProbe.STATUS_MARK + "000", page));
        assertTrue(!NetnsProbe.isPage(page, page));
        assertEquals(
                List.of(
                        "nsenter",
                        "--net=/proc/42/ns/net",
                        "curl",
                        "-sS",
                        "--noproxy",
                        "*",
                        "--max-time",
                        "2",
                        "-w",
                        NetnsProbe.STATUS_MARK + "%{http_code}",
                        "http://127.0.0.1:8080/"),
                NetnsProbe.command(42, "8080"));
    }

    @Test
    void aProbedRuntimesReasonIsCtrsErrorWithoutItsCommandLine() {
        ContainersSuite.Runtime vm = ContainersSuite.RUNTIMES.get(1);
        assertEquals(
                "one idle container with uniwasm-vm did not run: ctr: failed to create shim task: `vm` refused: unknown"
                        .replace('`', '\''),
                ContainersSuite.probeFailure(
                        vm,
                        List.of(
                                "containers N=1 idle uniwasm-vm: ctr run -d --platform wasi/wasm x: status 1: "
                                        + "ctr: failed to create shim task: `vm` refused: unknown",
                                "second")));
        assertEquals(
                "one idle container with uniwasm-vm did not run: no ready",
                ContainersSuite.probeFailure(vm, List.of("no ready")));
    }
}
