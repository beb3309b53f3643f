/*
 * The operating-system layer of SQLite for the compute suite's speedtest1 (SQLITE_OS_OTHER=1): a VFS
 * for in-memory databases only, built into both the native and the wasm32-wasi speedtest1 so that
 * the two run the same code.
 *
 * Why not SQLite's own unix VFS: with Debian 12's wasi-libc it does not compile (no fcntl locks,
 * fchmod, fchown, geteuid), and the benchmark measures the SQL engine, not file I/O, which under a
 * unikernel's tmpfs and a host file system would be two different things. speedtest1 runs with
 * --memdb and SQLite is built with SQLITE_TEMP_STORE=3, so no file is ever opened; an attempt fails
 * with SQLITE_CANTOPEN and a message on stderr instead of pretending.
 *
 * The VFS still owns the clock (speedtest1 times each test with xCurrentTimeInt64), randomness
 * (a fixed seed: speedtest1's output and verification hash must be the same on every runner) and
 * sleeping.
 */
#include "sqlite3.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Julian day number of 1970-01-01T00:00:00Z, in milliseconds, as SQLite counts time */
static const sqlite3_int64 UNIX_EPOCH_JULIAN_MS = 210866760000000LL;

static int memoryOnlyOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *outFlags) {
    (void)vfs;
    (void)outFlags;
    file->pMethods = 0;
    fprintf(stderr,
            "memory-only VFS: cannot open \"%s\" (flags 0x%x): this SQLite build keeps every database in memory (use "
            "--memdb)\n",
            name ? name : "(temporary file)", flags);
    return SQLITE_CANTOPEN;
}

static int memoryOnlyDelete(sqlite3_vfs *vfs, const char *name, int syncDir) {
    (void)vfs;
    (void)name;
    (void)syncDir;
    /* nothing was ever created on disk */
    return SQLITE_IOERR_DELETE_NOENT;
}

static int memoryOnlyAccess(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
    (void)vfs;
    (void)name;
    (void)flags;
    *result = 0;
    return SQLITE_OK;
}

static int memoryOnlyFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
    (void)vfs;
    sqlite3_snprintf(size, out, "%s", name);
    return SQLITE_OK;
}

static int memoryOnlyRandomness(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    /* a fixed seed keeps runs reproducible; SQLite mixes it through its own PRNG */
    for (int i = 0; i < size; i++) out[i] = (char)(i * 131 + 17);
    return size;
}

static int memoryOnlySleep(sqlite3_vfs *vfs, int microseconds) {
    (void)vfs;
    struct timespec ts = {microseconds / 1000000, (long)(microseconds % 1000000) * 1000};
    nanosleep(&ts, 0);
    return microseconds;
}

static int memoryOnlyCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *julianMs) {
    (void)vfs;
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return SQLITE_ERROR;
    *julianMs = UNIX_EPOCH_JULIAN_MS + (sqlite3_int64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    return SQLITE_OK;
}

static int memoryOnlyCurrentTime(sqlite3_vfs *vfs, double *julianDays) {
    sqlite3_int64 ms;
    int rc = memoryOnlyCurrentTimeInt64(vfs, &ms);
    if (rc == SQLITE_OK) *julianDays = ms / 86400000.0;
    return rc;
}

static int memoryOnlyGetLastError(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    if (size > 0) out[0] = 0;
    return 0;
}

static sqlite3_vfs memoryOnlyVfs = {
    .iVersion = 2,
    .szOsFile = sizeof(sqlite3_file),
    .mxPathname = 512,
    .zName = "memory-only",
    .xOpen = memoryOnlyOpen,
    .xDelete = memoryOnlyDelete,
    .xAccess = memoryOnlyAccess,
    .xFullPathname = memoryOnlyFullPathname,
    .xRandomness = memoryOnlyRandomness,
    .xSleep = memoryOnlySleep,
    .xCurrentTime = memoryOnlyCurrentTime,
    .xGetLastError = memoryOnlyGetLastError,
    .xCurrentTimeInt64 = memoryOnlyCurrentTimeInt64,
};

int sqlite3_os_init(void) { return sqlite3_vfs_register(&memoryOnlyVfs, 1); }

int sqlite3_os_end(void) { return SQLITE_OK; }
