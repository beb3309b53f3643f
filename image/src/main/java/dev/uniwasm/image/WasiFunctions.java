package dev.uniwasm.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions of wasi_snapshot_preview1 the kernel defines: all 46 of the WASI specification and
 * WasmEdge's socket API (kernel/wasi/table.c lists the same names and signatures), each with its
 * Wasm signature in the canonical notation of {@link dev.uniwasm.wasm.FuncType#signature()}.
 *
 * <p>Some WasmEdge names have two shapes, told apart by signature as WasmEdge itself does: the
 * 2-parameter {@code sock_accept} (preview1's has 3), the 8-parameter {@code sock_recv_from} and the
 * 3-parameter {@code sock_getlocaladdr} / {@code sock_getpeeraddr} (WasmEdge's "v2" forms). Compiled
 * code calls every import as {@code uw_imp.wasi_snapshot_preview1.<name>}; for a second shape the
 * kernel's code has another symbol, and the linker points the import's symbol at it.
 */
final class WasiFunctions {
    static final String MODULE = "wasi_snapshot_preview1";
    /** The prefix of the symbol compiled code calls an import by. */
    static final String IMPORT_SYMBOL_PREFIX = "uw_imp." + MODULE + ".";

    /**
     * One shape of a function: its signature and, for a second shape, the kernel symbol that
     * implements it (null: the import symbol itself).
     */
    record Shape(String signature, String kernelSymbol) {}

    private static final int PREVIEW1_COUNT = 46;
    private static final Map<String, List<Shape>> SHAPES = new LinkedHashMap<>();

    static {
        String[][] preview1 = {
            {"args_get", "ii:i"}, {"args_sizes_get", "ii:i"}, {"environ_get", "ii:i"}, {"environ_sizes_get", "ii:i"},
            {"clock_res_get", "ii:i"}, {"clock_time_get", "ili:i"}, {"fd_advise", "illi:i"}, {"fd_allocate", "ill:i"},
            {"fd_close", "i:i"}, {"fd_datasync", "i:i"}, {"fd_fdstat_get", "ii:i"}, {"fd_fdstat_set_flags", "ii:i"},
            {"fd_fdstat_set_rights", "ill:i"}, {"fd_filestat_get", "ii:i"}, {"fd_filestat_set_size", "il:i"},
            {"fd_filestat_set_times", "illi:i"}, {"fd_pread", "iiili:i"}, {"fd_prestat_get", "ii:i"},
            {"fd_prestat_dir_name", "iii:i"}, {"fd_pwrite", "iiili:i"}, {"fd_read", "iiii:i"}, {"fd_readdir", "iiili:i"},
            {"fd_renumber", "ii:i"}, {"fd_seek", "ilii:i"}, {"fd_sync", "i:i"}, {"fd_tell", "ii:i"}, {"fd_write", "iiii:i"},
            {"path_create_directory", "iii:i"}, {"path_filestat_get", "iiiii:i"}, {"path_filestat_set_times", "iiiilli:i"},
            {"path_link", "iiiiiii:i"}, {"path_open", "iiiiillii:i"}, {"path_readlink", "iiiiii:i"},
            {"path_remove_directory", "iii:i"}, {"path_rename", "iiiiii:i"}, {"path_symlink", "iiiii:i"},
            {"path_unlink_file", "iii:i"}, {"poll_oneoff", "iiii:i"}, {"proc_exit", "i:"}, {"proc_raise", "i:i"},
            {"sched_yield", ":i"}, {"random_get", "ii:i"}, {"sock_accept", "iii:i"}, {"sock_recv", "iiiiii:i"},
            {"sock_send", "iiiii:i"}, {"sock_shutdown", "ii:i"},
        };
        for (String[] row : preview1) add(row[0], row[1], null);
        // WasmEdge's socket API (docs/ABI.md, "WasmEdge sockets"; kernel/wasi/sock_wasmedge.c)
        add("sock_open", "iii:i", null);
        add("sock_bind", "iii:i", null);
        add("sock_listen", "ii:i", null);
        add("sock_accept", "ii:i", "uw_wasmedge_v1.sock_accept");
        add("sock_connect", "iii:i", null);
        add("sock_getlocaladdr", "iiii:i", null);
        add("sock_getlocaladdr", "iii:i", "uw_wasmedge_v2.sock_getlocaladdr");
        add("sock_getpeeraddr", "iiii:i", null);
        add("sock_getpeeraddr", "iii:i", "uw_wasmedge_v2.sock_getpeeraddr");
        add("sock_getsockopt", "iiiii:i", null);
        add("sock_setsockopt", "iiiii:i", null);
        add("sock_recv_from", "iiiiiii:i", null);
        add("sock_recv_from", "iiiiiiii:i", "uw_wasmedge_v2.sock_recv_from");
        add("sock_send_to", "iiiiiii:i", null);
        add("sock_getaddrinfo", "iiiiiiii:i", null);
        // and its "_v2" names
        String[][] v2 = {
            {"sock_open_v2", "iii:i"}, {"sock_bind_v2", "iii:i"}, {"sock_listen_v2", "ii:i"}, {"sock_accept_v2", "iii:i"},
            {"sock_connect_v2", "iii:i"}, {"sock_recv_v2", "iiiiii:i"}, {"sock_recv_from_v2", "iiiiiiii:i"},
            {"sock_send_v2", "iiiii:i"}, {"sock_send_to_v2", "iiiiiii:i"}, {"sock_getlocaladdr_v2", "iii:i"},
            {"sock_getpeeraddr_v2", "iii:i"},
        };
        for (String[] row : v2) add(row[0], row[1], null);
    }

    private static void add(String name, String signature, String kernelSymbol) {
        SHAPES.computeIfAbsent(name, n -> new ArrayList<>()).add(new Shape(signature, kernelSymbol));
    }

    private WasiFunctions() {}

    /** The kernel's shapes of a function (first the one its import symbol names), or an empty list. */
    static List<Shape> shapes(String name) {
        return SHAPES.getOrDefault(name, List.of());
    }

    /** The shape of {@code name} with {@code signature}, or null. */
    static Shape shape(String name, String signature) {
        for (Shape s : shapes(name)) {
            if (s.signature().equals(signature)) return s;
        }
        return null;
    }

    /** The number of wasi_snapshot_preview1 functions of the WASI specification (all defined). */
    static int count() {
        return PREVIEW1_COUNT;
    }
}
