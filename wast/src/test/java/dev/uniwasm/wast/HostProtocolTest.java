package dev.uniwasm.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives uwhost with the hand-written fake module of src/test/native/fake_module.c: linking against
 * spectest, explicit traps, out-of-bounds faults, stack exhaustion, memory.grow, bulk memory,
 * indirect calls, multiple results, references, globals, registration and crash reporting.
 */
class HostProtocolTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static Path host;
    private static Path fake;
    private static Path unlinkable;
    private HostProcess process;

    @BeforeAll
    static void build() {
        RepoLayout repo = RepoLayout.detect();
        host = NativeBuild.host(repo);
        Path source = repo.root().resolve("wast/src/test/native/fake_module.c");
        List<String> flags = List.of(
                "-std=c11",
                "-O0",
                "-g",
                "-fPIC",
                "-shared",
                "-nostdlib",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-I" + repo.runtimeInclude());
        fake = NativeBuild.build(repo, "fake-module.so", List.of(source), flags);
        unlinkable = NativeBuild.build(
                repo,
                "fake-module-unlinkable.so",
                List.of(source),
                List.of(
                        "-std=c11",
                        "-O0",
                        "-fPIC",
                        "-shared",
                        "-nostdlib",
                        "-DFAKE_IMPORT_MODULE=\"nowhere\"",
                        "-I" + repo.runtimeInclude()));
    }

    @BeforeEach
    void start() throws Exception {
        Path log = Files.createTempFile("uwhost-test-", ".log");
        process = new HostProcess(host, log);
    }

    @AfterEach
    void stop() {
        process.close();
    }

    private String send(String line) throws HostException {
        return process.request(line, TIMEOUT);
    }

    private String invoke(String instance, String export, String... args) throws HostException {
        return send("invoke " + instance + " " + HostProcess.hex(export)
                + (args.length == 0 ? "" : " " + String.join(" ", args)));
    }

    private void loadFake(String name) throws HostException {
        assertEquals("ok", send("load " + name + " " + HostProcess.hex(fake.toString())));
    }

    @Test
    void linksInitialisesAndStarts() throws Exception {
        loadFake("a");
        // counter = spectest.global_i32 (666) + 1 in init, + 1 in the start function
        assertEquals("ok i32:0000029c", send("get a " + HostProcess.hex("counter")));
        assertEquals("ok i32:0000029a", send("get a " + HostProcess.hex("imported")));
        assertEquals("ok i32:0000002a", invoke("a", "load", "i32:00000010"));
        assertEquals("ok i32:00000005", invoke("a", "add", "i32:00000002", "i32:00000003"));
        assertEquals("ok", invoke("a", "call print", "i32:00000007"));
        assertEquals("ok", invoke("a", "print", "i32:00000008"), "re-exported host function");
    }

    @Test
    void reportsUnlinkableAndProtocolErrors() throws Exception {
        assertEquals(
                "unlinkable unknown import: \"nowhere\" \"global_i32\"",
                send("load b " + HostProcess.hex(unlinkable.toString())));
        assertTrue(send("load c " + HostProcess.hex("/nonexistent.so")).startsWith("error dlopen"));
        loadFake("a");
        assertTrue(invoke("a", "add", "i32:00000002").startsWith("error expected 2 arguments"));
        assertTrue(invoke("a", "add", "i64:0000000000000002", "i32:00000001").startsWith("error argument 0"));
        assertTrue(invoke("a", "missing").startsWith("error a has no function export"));
        assertTrue(invoke("zz", "add").startsWith("error no module named zz"));
        assertTrue(send("frobnicate").startsWith("error unknown command"));
    }

    @Test
    void turnsFaultsAndExplicitTrapsIntoTraps() throws Exception {
        loadFake("a");
        assertEquals("trap out of bounds memory access", invoke("a", "load", "i32:00010000"));
        assertEquals("trap out of bounds memory access", invoke("a", "load", "i32:0000fffd"));
        assertEquals("trap out of bounds memory access", invoke("a", "load", "i32:ffffffff"));
        assertEquals("trap integer divide by zero", invoke("a", "divide", "i32:00000002", "i32:00000000"));
        assertEquals("trap call stack exhausted", invoke("a", "recurse", "i32:00000000"));
        assertEquals("trap call stack exhausted", invoke("a", "recurse", "i32:00000000"), "the stack is reusable");
        assertEquals("ok i32:00000005", invoke("a", "add", "i32:00000002", "i32:00000003"), "alive after traps");
    }

    @Test
    void growsMemoryAndChecksBulkBounds() throws Exception {
        loadFake("a");
        assertEquals("ok i32:00000001", invoke("a", "grow", "i32:00000001"));
        assertEquals("ok i32:00000000", invoke("a", "load", "i32:00010000"));
        assertEquals("ok i32:ffffffff", invoke("a", "grow", "i32:00000002"), "max is 3 pages");
        assertEquals("ok i32:00000002", invoke("a", "grow", "i32:00000000"));
        assertEquals("ok i32:00000000", invoke("a", "fill", "i32:0001fff0", "i32:00000010"));
        assertEquals("ok i32:abababab", invoke("a", "load", "i32:0001fffc"));
        assertEquals("trap out of bounds memory access", invoke("a", "fill", "i32:0001fff0", "i32:00000011"));
        assertEquals("ok i32:00000000", invoke("a", "fill", "i32:00020000", "i32:00000000"));
        assertEquals("trap out of bounds memory access", invoke("a", "fill", "i32:00020001", "i32:00000000"));
    }

    @Test
    void callsThroughTheTable() throws Exception {
        loadFake("a");
        assertEquals("trap uninitialized element", invoke("a", "call_indirect", "i32:00000000"));
        assertEquals("ok i32:0000000b", invoke("a", "call_indirect", "i32:00000001"));
        assertEquals("ok i32:00000000", invoke("a", "call_indirect", "i32:00000002"));
        assertEquals("trap indirect call type mismatch", invoke("a", "call_indirect", "i32:00000003"));
        assertEquals("trap undefined element", invoke("a", "call_indirect", "i32:00000004"));
    }

    @Test
    void returnsSeveralResultsAndReferences() throws Exception {
        loadFake("a");
        assertEquals("ok i32:00000007 i64:fffffffffffffffe", invoke("a", "pair"));
        assertEquals("ok externref:0 funcref:null", invoke("a", "echo_refs", "funcref:null", "externref:0"));
        assertEquals("ok externref:null funcref:null", invoke("a", "echo_refs", "funcref:null", "externref:null"));
    }

    @Test
    void registeredModulesSatisfyImports() throws Exception {
        loadFake("a");
        assertEquals("ok", send("register a " + HostProcess.hex("nowhere")));
        // the unlinkable variant imports nowhere.global_i32, which "a" does not export under that name
        assertTrue(send("load b " + HostProcess.hex(unlinkable.toString())).startsWith("unlinkable unknown import"));
    }

    @Test
    void crashesAreReportedAndTheHostCanBeReplaced() throws Exception {
        loadFake("a");
        HostException e = assertThrows(HostException.class, () -> invoke("a", "crash", "i32:00000000"));
        assertTrue(e.getMessage().contains("exited with status 70"), e.getMessage());
        assertTrue(e.getMessage().contains("uwhost: crash: Segmentation fault"), e.getMessage());
    }
}
