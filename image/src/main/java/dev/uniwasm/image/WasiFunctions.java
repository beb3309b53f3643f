package dev.uniwasm.image;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The functions of wasi_snapshot_preview1 the kernel defines (all 46; kernel/wasi/table.c lists
 * the same names and signatures), each with its Wasm signature in the canonical notation of
 * {@link dev.uniwasm.wasm.FuncType#signature()}.
 */
final class WasiFunctions {
    static final String MODULE = "wasi_snapshot_preview1";

    private static final Map<String, String> SIGNATURES = new LinkedHashMap<>();

    static {
        String[][] table = {
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
        for (String[] row : table) SIGNATURES.put(row[0], row[1]);
    }

    private WasiFunctions() {}

    /** The kernel's signature for a preview1 function, or null when there is no such function. */
    static String signature(String name) {
        return SIGNATURES.get(name);
    }

    static int count() {
        return SIGNATURES.size();
    }
}
