package dev.uniwasm.monitor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempFoldersTest {
    /** A PID that no process has: one that ended (and, within this test, was not reused by a live one). */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        return ProcessHandle.of(pid).isPresent() ? -1 : pid;
    }

    private static Path folder(Path root, long pid, Instant changed) throws IOException {
        Path dir = Files.createDirectory(root.resolve(TempFolders.PREFIX + pid + "-123"));
        Path config = Files.writeString(dir.resolve("bootconfig"), "packed --dir images");
        Files.setLastModifiedTime(config, FileTime.from(changed));
        Files.setLastModifiedTime(dir, FileTime.from(changed));
        return dir;
    }

    @Test
    void removesOnlyOldFoldersOfOwnersThatAreGone(@TempDir Path root) throws Exception {
        long dead = deadPid();
        if (dead < 0) return; // the PID came back at once: nothing to test with
        Instant now = Instant.now();
        Instant old = now.minus(TempFolders.STALE_AFTER).minusSeconds(5);
        Path stale = folder(root, dead, old);
        Path live = Files.createDirectory(root.resolve("live"));
        Path liveOwner = folder(live, ProcessHandle.current().pid(), old);
        Path fresh = folder(Files.createDirectory(root.resolve("fresh")), dead, now);
        Path foreign = Files.createDirectory(root.resolve(TempFolders.PREFIX + "1234567890123"));

        TempFolders.sweepStale(root, now);
        TempFolders.sweepStale(live, now);
        TempFolders.sweepStale(fresh.getParent(), now);

        assertFalse(Files.exists(stale), "a dead owner's old folder stays");
        assertTrue(Files.exists(liveOwner), "a live owner's folder was removed");
        assertTrue(Files.exists(fresh), "a folder changed within " + TempFolders.STALE_AFTER + " was removed");
        assertTrue(Files.exists(foreign), "a folder without an owner PID was removed");
    }
}
