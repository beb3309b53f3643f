package dev.uniwasm.wast;

import dev.uniwasm.compiler.Compiler;
import dev.uniwasm.wasm.WasmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes the commands of one converted script against one uwhost process. Modules are compiled
 * through the {@link ModuleCache}; if the host crashes or hangs, that command fails and a fresh host
 * is started with every successful load and register replayed, so later commands still run.
 */
final class FileRunner {
    static final String TEXT_MODULE = "text module (binary-only compiler)";
    /** How long one host request may take before the host is presumed hung (uniwasm.wast.timeout, seconds). */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(Integer.getInteger("uniwasm.wast.timeout", 30));

    private final Path hostExecutable;
    private final Path hostLog;
    private final ModuleCache cache;
    private final Compiler validator;
    private final Path scriptDir;
    private final FileResult result;

    private HostProcess host;
    private final List<String> replay = new ArrayList<>();
    /** script module name ("$M") -> host instance name, null when that module failed */
    private final Map<String, String> named = new HashMap<>();

    private String current;
    private int modules;

    FileRunner(Path hostExecutable, Path hostLog, ModuleCache cache, Path scriptDir, FileResult result) {
        this.hostExecutable = hostExecutable;
        this.hostLog = hostLog;
        this.cache = cache;
        this.validator = new Compiler(cache.options());
        this.scriptDir = scriptDir;
        this.result = result;
    }

    @SuppressWarnings("unchecked")
    void run(Path json) throws IOException {
        Map<String, Object> script = (Map<String, Object>) Json.parse(Files.readString(json, StandardCharsets.UTF_8));
        Files.deleteIfExists(hostLog);
        host = new HostProcess(hostExecutable, hostLog);
        try {
            for (Object c : (List<Object>) script.get("commands")) {
                Map<String, Object> command = (Map<String, Object>) c;
                long line = ((Number) command.getOrDefault("line", 0L)).longValue();
                String type = (String) command.get("type");
                try {
                    execute(type, command, line);
                } catch (HostException e) {
                    result.fail(line, type + ": " + e.getMessage());
                    restartHost();
                } catch (RuntimeException e) {
                    result.fail(line, type + ": runner error: " + e);
                }
            }
        } finally {
            host.close();
        }
    }

    private void restartHost() throws IOException {
        host.close();
        host = new HostProcess(hostExecutable, hostLog);
        for (String request : replay) {
            try {
                host.request(request, REPLY_TIMEOUT);
            } catch (HostException e) {
                host.close();
                host = new HostProcess(hostExecutable, hostLog);
            }
        }
    }

    private void execute(String type, Map<String, Object> c, long line) throws HostException, IOException {
        switch (type) {
            case "module" -> module(c, line);
            case "register" -> register(c, line);
            case "action" -> {
                String reply = perform(c);
                if (reply.startsWith("ok")) result.pass();
                else result.fail(line, "action " + describeAction(c) + ": " + reply);
            }
            case "assert_return" -> assertReturn(c, line);
            case "assert_trap", "assert_exhaustion" -> {
                String reply = perform(c);
                String expected = (String) c.get("text");
                if (reply.startsWith("trap ") && trapMatches(reply.substring(5), expected)) result.pass();
                else
                    result.fail(
                            line,
                            type + " " + describeAction(c) + ": expected trap \"" + expected + "\", got " + reply);
            }
            case "assert_invalid", "assert_malformed" -> rejected(type, c, line);
            case "assert_unlinkable" -> instantiationFails(type, c, line, "unlinkable ");
            case "assert_uninstantiable" -> instantiationFails(type, c, line, "trap ");
            default -> result.fail(line, "unknown command type " + type);
        }
    }

    /**
     * The host's message must start with the script's. The reference interpreter sometimes appends a
     * detail our traps do not carry ("uninitialized element 2"): the spec message followed by a
     * space and more text is accepted too.
     */
    static boolean trapMatches(String actual, String expected) {
        return actual.startsWith(expected) || expected.startsWith(actual + " ");
    }

    private byte[] moduleBytes(Map<String, Object> c) throws IOException {
        return Files.readAllBytes(scriptDir.resolve((String) c.get("filename")));
    }

    /** Compiles and loads a module; returns the host's reply, or null after recording a failure. */
    private String load(String hostName, Map<String, Object> c, long line, String what)
            throws HostException, IOException {
        Path so;
        try {
            so = cache.sharedObject(moduleBytes(c));
        } catch (WasmException e) {
            result.fail(line, what + ": module rejected: " + e.getMessage());
            return null;
        } catch (RuntimeException e) {
            result.fail(line, what + ": compilation failed: " + e);
            return null;
        }
        return host.request("load " + hostName + " " + HostProcess.hex(so.toString()), REPLY_TIMEOUT);
    }

    private void module(Map<String, Object> c, long line) throws HostException, IOException {
        String hostName = "m" + (++modules);
        String name = (String) c.get("name");
        current = null;
        if (name != null) named.put(name, null);
        String reply = load(hostName, c, line, "module");
        if (reply == null) return;
        if (!reply.equals("ok")) {
            result.fail(line, "module: " + reply);
            return;
        }
        replay.add("load " + hostName + " "
                + HostProcess.hex(cache.sharedObject(moduleBytes(c)).toString()));
        current = hostName;
        if (name != null) named.put(name, hostName);
    }

    private String instance(Map<String, Object> c) {
        String name = (String) c.get("module");
        if (name == null) name = (String) c.get("name");
        return name == null ? current : named.get(name);
    }

    private void register(Map<String, Object> c, long line) throws HostException {
        String target = instance(c);
        if (target == null) {
            result.fail(line, "register: the module to register failed to load");
            return;
        }
        String request = "register " + target + " " + HostProcess.hex((String) c.get("as"));
        String reply = host.request(request, REPLY_TIMEOUT);
        if (reply.equals("ok")) replay.add(request);
        else result.fail(line, "register: " + reply);
    }

    /** Runs the command's action; returns the host's reply, or an "error" reply of our own. */
    @SuppressWarnings("unchecked")
    private String perform(Map<String, Object> c) throws HostException {
        Map<String, Object> action = (Map<String, Object>) c.get("action");
        String target = instance(action);
        if (target == null) return "error the module of this action failed to load";
        String field = HostProcess.hex((String) action.get("field"));
        return switch ((String) action.get("type")) {
            case "invoke" -> {
                StringBuilder request =
                        new StringBuilder("invoke ").append(target).append(' ').append(field);
                for (Object arg : (List<Object>) action.get("args")) {
                    request.append(' ').append(WastValue.argument((Map<String, Object>) arg));
                }
                yield host.request(request.toString(), REPLY_TIMEOUT);
            }
            case "get" -> host.request("get " + target + " " + field, REPLY_TIMEOUT);
            default -> "error unknown action type " + action.get("type");
        };
    }

    @SuppressWarnings("unchecked")
    private static String describeAction(Map<String, Object> c) {
        Map<String, Object> action = (Map<String, Object>) c.get("action");
        StringBuilder sb = new StringBuilder(String.valueOf(action.get("type")))
                .append(" \"")
                .append(action.get("field"))
                .append('"');
        Object args = action.get("args");
        if (args instanceof List<?> list) {
            for (Object a : list) sb.append(' ').append(WastValue.describe((Map<String, Object>) a));
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private void assertReturn(Map<String, Object> c, long line) throws HostException {
        String reply = perform(c);
        String where = "assert_return " + describeAction(c);
        if (!reply.startsWith("ok")) {
            result.fail(line, where + ": " + reply);
            return;
        }
        String[] actual = reply.substring(2).trim().isEmpty()
                ? new String[0]
                : reply.substring(2).trim().split(" ");
        List<Object> expected = (List<Object>) c.get("expected");
        if (actual.length != expected.size()) {
            result.fail(line, where + ": expected " + expected.size() + " results, got " + reply);
            return;
        }
        for (int i = 0; i < actual.length; i++) {
            String problem = WastValue.mismatch((Map<String, Object>) expected.get(i), actual[i]);
            if (problem != null) {
                result.fail(line, where + ": result " + i + ": " + problem);
                return;
            }
        }
        result.pass();
    }

    private void rejected(String type, Map<String, Object> c, long line) throws IOException {
        if ("text".equals(c.get("module_type"))) {
            result.skip(type, TEXT_MODULE);
            return;
        }
        String expected = (String) c.get("text");
        try {
            validator.decodeAndValidate(moduleBytes(c));
            result.fail(line, type + ": module accepted, expected \"" + expected + "\"");
        } catch (WasmException e) {
            result.pass();
            if (!e.reason().startsWith(expected)) {
                result.messageDifferences.add("line " + line + ": " + type + " expected \"" + expected
                        + "\", rejected with \"" + e.reason() + "\" at byte offset " + e.offset());
            }
        } catch (RuntimeException e) {
            result.fail(line, type + ": validator failed instead of rejecting the module: " + e);
        }
    }

    private void instantiationFails(String type, Map<String, Object> c, long line, String replyPrefix)
            throws HostException, IOException {
        if ("text".equals(c.get("module_type"))) {
            result.skip(type, TEXT_MODULE);
            return;
        }
        String expected = (String) c.get("text");
        String reply = load("m" + (++modules), c, line, type);
        if (reply == null) return;
        if (reply.startsWith(replyPrefix) && trapMatches(reply.substring(replyPrefix.length()), expected))
            result.pass();
        else result.fail(line, type + ": expected " + replyPrefix + "\"" + expected + "\", got " + reply);
    }
}
