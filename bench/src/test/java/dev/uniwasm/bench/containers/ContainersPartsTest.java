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
                Map.of("uniwasm-vm", "vm refused"),
                RowSelection.ALL);
        assertEquals(ContainerApps.APPS.size() * ContainersSuite.RUNTIMES.size(), rows.size());
        assertEquals(
                List.of("idle", "http", "cpython"),
                ContainerApps.APPS.stream().map(ContainerApps.App::name).toList());
        assertEquals(
                List.of("uniwasm-process", "uniwasm-vm", "qemu-runc", "crun", "runc"),
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
        // QEMU boots the uniwasm image's VM: no uniwasm image, no qemu-runc row
        assertEquals("no --tcplisten", skip.get("http qemu-runc"));
        assertEquals("null", skip.get("idle qemu-runc"));
    }

    /** --rows and --scales: APP/RUNTIME patterns with *, sorted unique scales; bad values name the flag and the valid ones. */
    @Test
    void selectsRowsAndScales() {
        RowSelection s = RowSelection.parse("idle/uniwasm-vm, http/*,*/qemu-runc", "400,10,100,10");
        assertEquals(List.of(10, 100, 400), s.scales());
        List<String> rows =
                ContainersSuite.plan(ContainerApps.APPS, ContainersSuite.RUNTIMES, Map.of(), Map.of(), s).stream()
                        .map(r -> r.app().name() + "/" + r.runtime().name())
                        .toList();
        assertEquals(
                List.of(
                        "idle/uniwasm-vm",
                        "idle/qemu-runc",
                        "http/uniwasm-process",
                        "http/uniwasm-vm",
                        "http/qemu-runc",
                        "http/crun",
                        "http/runc",
                        "cpython/qemu-runc"),
                rows);
        assertEquals(List.of(10), RowSelection.parse("*/*", null).scalesOr(List.of(10)));
        assertEquals(
                ContainerApps.APPS.size() * ContainersSuite.RUNTIMES.size(),
                ContainersSuite.plan(
                                ContainerApps.APPS,
                                ContainersSuite.RUNTIMES,
                                Map.of(),
                                Map.of(),
                                RowSelection.parse("*/*", null))
                        .size());
        assertEquals(
                "--rows: unknown runtime 'foo' in 'idle/foo' (runtimes: uniwasm-process, uniwasm-vm, qemu-runc, crun, runc, *)",
                assertThrows(IllegalArgumentException.class, () -> RowSelection.parse("idle/foo", null))
                        .getMessage());
        assertEquals(
                "--rows: unknown app 'nginx' in 'nginx/runc' (apps: idle, http, cpython, *)",
                assertThrows(IllegalArgumentException.class, () -> RowSelection.parse("nginx/runc", null))
                        .getMessage());
        for (String bad : List.of("idle", "", "idle/runc/x", "idle/runc,")) {
            String message = assertThrows(IllegalArgumentException.class, () -> RowSelection.parse(bad, null))
                    .getMessage();
            assertTrue(
                    message.startsWith("--rows: '")
                            && message.contains("' is not APP/RUNTIME (apps: idle, http, "
                                    + "cpython, *; runtimes: uniwasm-process, uniwasm-vm, qemu-runc, crun, runc, *)"),
                    message);
        }
        for (String bad : List.of("0", "ten", "10,", "1001", "-5")) {
            assertEquals(
                    "--scales: '" + bad.replace("10,", "") + "' is not a number of containers from 1 to 1000 (e.g. "
                            + "--scales 10,100,400)",
                    assertThrows(IllegalArgumentException.class, () -> RowSelection.parse(null, bad))
                            .getMessage());
        }
    }

    /**
     * CPython's VMs stop at N = 100 (their memory); any row stops where its memory would not fit or
     * its budget would be passed; under TCG a bounded row's containers get their starts' CPU to be up.
     */
    @Test
    void boundsAndBudgetsSkipLargerScales() {
        ContainersSuite.Runtime vm = ContainersSuite.RUNTIMES.get(1), qemu = ContainersSuite.RUNTIMES.get(2);
        ContainersSuite.Row cpythonVm = new ContainersSuite.Row(ContainerApps.APPS.get(2), vm, null);
        ContainersSuite.Row cpythonQemu = new ContainersSuite.Row(ContainerApps.APPS.get(2), qemu, null);
        ContainersSuite.Row idleVm = new ContainersSuite.Row(ContainerApps.APPS.get(0), vm, null);
        long plenty = 1 << 20;
        assertEquals(null, ContainersSuite.scaleSkip(cpythonVm, 10, ContainersSuite.Spent.NONE, plenty));
        ContainersSuite.Spent ten = new ContainersSuite.Spent(10, 40, 100, 40);
        assertEquals(null, ContainersSuite.scaleSkip(cpythonVm, 100, ten, plenty));
        assertEquals(
                "at most N = 100: about 95 MiB per container (measured at N = 10): 400 would need about 38 GiB of memory",
                ContainersSuite.scaleSkip(cpythonVm, 400, new ContainersSuite.Spent(100, 300, 96, 340), plenty));
        assertTrue(ContainersSuite.scaleSkip(cpythonQemu, 400, ten, plenty).startsWith("at most N = 100: "));
        // 100 x 100 MiB x 1.25 + 2048 kept
        assertEquals(
                "about 14548 MiB needed (100 MiB per container at N = 10, +25 %, + 2048 MiB kept), 14547 MiB available "
                        + "(MemAvailable)",
                ContainersSuite.scaleSkip(cpythonVm, 100, ten, 14547));
        assertEquals(null, ContainersSuite.scaleSkip(cpythonVm, 100, ten, 14548));
        ContainersSuite.Spent hundred = new ContainersSuite.Spent(100, 200, 25, 230);
        assertEquals(
                "estimated 800 s (N = 100 took 200 s), which would take the row past its budget of 600 s (230 s spent)",
                ContainersSuite.scaleSkip(idleVm, 400, hundred, plenty));
        assertEquals(
                null, ContainersSuite.scaleSkip(idleVm, 400, new ContainersSuite.Spent(100, 100, 25, 130), plenty));
        assertEquals(60 + 150, ContainersSuite.readySeconds(cpythonVm, 100, true, 2));
        assertEquals(60, ContainersSuite.readySeconds(cpythonVm, 100, false, 2));
        assertEquals(60, ContainersSuite.readySeconds(idleVm, 400, true, 2));
    }

    /** uniwasm-vm is compared with QEMU in runc first, then the native runtimes; uniwasm-process with the native ones. */
    @Test
    void comparesEachUniwasmRuntimeWithItsBaselines() {
        assertEquals(
                List.of("qemu-runc", "crun", "runc"),
                ContainersSuite.baselines("uniwasm-vm").stream()
                        .map(ContainersSuite.Runtime::name)
                        .toList());
        assertEquals(
                List.of("crun", "runc"),
                ContainersSuite.baselines("uniwasm-process").stream()
                        .map(ContainersSuite.Runtime::name)
                        .toList());
    }

    /** The qemu-runc container's process: the .qemu file's line for the accelerator, files in the root, QEMU's own serial back-ends. */
    @Test
    void qemuRuncRunsTheImagesCommandLineWithItsOwnSerialPorts() {
        String template =
                "uniwasm-qemu 1\nboot-config-max 129679360\nkvm-device /dev/kvm\nkvm-unusable-with /sys/module/kvm_pvm\n"
                        + "kvm qemu-system-x86_64\nkvm -enable-kvm\nkvm -kernel\nkvm @image@\n"
                        + "tcg qemu-system-x86_64\ntcg -accel\ntcg tcg\ntcg -kernel\ntcg @image@\ntcg -initrd\ntcg @bootconfig@\n"
                        + "tcg -chardev\ntcg socket,id=com1,path=@com1@,server=off\ntcg -device\ntcg isa-serial,chardev=com1,index=0\n"
                        + "tcg -chardev\ntcg socket,id=com2,path=@com2@,server=off\n"
                        + "tcg -chardev\ntcg socket,id=com3,path=@com3@,server=off\n"
                        + "tcg -netdev\ntcg user,id=n,restrict=on,hostfwd=tcp:0.0.0.0:8080-:8080\n";
        assertEquals(
                List.of(
                        "qemu-system-x86_64",
                        "-accel",
                        "tcg",
                        "-kernel",
                        "/.uniwasm/a.wasm.x86_64-pvh",
                        "-initrd",
                        "/.uniwasm/bootconfig",
                        "-chardev",
                        "stdio,id=com1,signal=off",
                        "-device",
                        "isa-serial,chardev=com1,index=0",
                        "-chardev",
                        "file,id=com2,path=/proc/self/fd/2",
                        "-chardev",
                        "null,id=com3",
                        "-netdev",
                        "user,id=n,restrict=on,hostfwd=tcp:0.0.0.0:8080-:8080"),
                QemuRuncImage.commandLine(template, true, "/.uniwasm/a.wasm.x86_64-pvh", "/.uniwasm/bootconfig"));
        assertEquals(
                List.of("qemu-system-x86_64", "-enable-kvm", "-kernel", "/i"),
                QemuRuncImage.commandLine(template, false, "/i", "/b"));
        assertThrows(
                BenchException.class, () -> QemuRuncImage.commandLine("uniwasm-qemu 2\n" + template, true, "/i", "/b"));
        assertThrows(
                BenchException.class, () -> QemuRuncImage.commandLine(template + "tcg @newthing@\n", true, "/i", "/b"));
        assertEquals(
                "sha256:" + "ab".repeat(32),
                QemuRuncImage.firstDigest(
                        "{\"config\":{},\"layers\":[{\"digest\": \"sha256:" + "ab".repeat(32) + "\"}]}", "layers"));
        for (String m : QemuRuncImage.hostMounts())
            assertTrue(m.matches("type=bind,src=(/[a-z.0-9_-]+)+,dst=(/[a-z.0-9_-]+)+,options=rbind:ro"), m);
        assertTrue(QemuRuncImage.hostMounts().contains("type=bind,src=/usr,dst=/usr,options=rbind:ro"));
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
