package dev.uniwasm.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * runtime/include/uniwasm/abi.h is the source of the ABI's layout and trap codes; the compiler's
 * Abi.java and README.md's exit status table repeat them. This test compiles a C program that prints
 * what the header says (src/test/native/abi_facts.c, with runtime/src/trap.c for the messages) and
 * checks both copies against it, so that a change to one side fails here instead of at run time.
 */
class AbiContractTest {
    private static final String ABI_CLASS = "dev.uniwasm.compiler.llvm.Abi";

    /** NAME -> value (and, for traps, "code message"), as the header and trap.c say. */
    private static Map<String, String> headerFacts() throws Exception {
        RepoLayout repo = RepoLayout.detect();
        List<Path> sources = new ArrayList<>();
        sources.add(repo.runtimeSources().resolve("trap.c"));
        sources.add(repo.root().resolve("wast/src/test/native/abi_facts.c"));
        Path exe = NativeBuild.build(
                repo,
                "abi-facts",
                sources,
                List.of(
                        "-std=c11",
                        "-O1",
                        "-Wall",
                        "-Wextra",
                        "-Werror",
                        "-I" + repo.runtimeInclude(),
                        "-I" + repo.runtimeSources()));
        Process p = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "abi-facts hung");
        assertEquals(0, p.exitValue(), output);
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : output.lines().toList()) {
            int eq = line.indexOf('=');
            facts.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return facts;
    }

    @Test
    void compilerMirrorsTheHeader() throws Exception {
        Map<String, String> facts = headerFacts();
        Class<?> abi = Class.forName(ABI_CLASS);
        int compared = 0;
        for (Field f : abi.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) continue;
            f.setAccessible(true);
            String fact = facts.get(f.getName());
            assertTrue(
                    fact != null,
                    "Abi." + f.getName() + " has no counterpart printed from abi.h (add it to abi_facts.c)");
            String headerValue = fact.split(" ", 2)[0];
            assertEquals(headerValue, Integer.toString(f.getInt(null)), "Abi." + f.getName() + " disagrees with abi.h");
            compared++;
        }
        assertTrue(compared >= 20, "only " + compared + " constants compared");
    }

    @Test
    void readmeListsEveryTrapWithItsStatusAndMessage() throws Exception {
        Map<String, String> facts = headerFacts();
        String readme = Files.readString(RepoLayout.detect().root().resolve("README.md"));
        Map<Integer, String> rows = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| (\\d+) \\| `([^`]+)`").matcher(readme);
        while (m.find()) rows.put(Integer.parseInt(m.group(1)), m.group(2));
        int traps = 0;
        for (var e : facts.entrySet()) {
            if (!e.getKey().startsWith("TRAP_") || e.getKey().equals("TRAP_COUNT")) continue;
            String[] codeAndMessage = e.getValue().split(" ", 2);
            int status = 128 + Integer.parseInt(codeAndMessage[0]);
            assertEquals(
                    codeAndMessage[1],
                    rows.get(status),
                    "README.md's exit status row for " + e.getKey() + " (" + status + ")");
            traps++;
        }
        assertEquals(Integer.parseInt(facts.get("TRAP_COUNT")) - 1, traps, "abi_facts.c must print every trap code");
        String range = "| 129.." + (128 + traps) + " |";
        assertTrue(readme.contains(range), "README.md's trap range should read " + range);
    }
}
