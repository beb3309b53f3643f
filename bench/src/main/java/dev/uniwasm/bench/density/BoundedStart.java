package dev.uniwasm.bench.density;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Starts N instances, each on its own virtual thread, at most {@code concurrency} between launch and
 * answer at a time (so that on two cores the first guests are not starved by hundreds booting at
 * once), and times the whole: from the first launch until the last instance answered.
 */
final class BoundedStart {
    /** How it went: the wall time to start all, and one line per instance that failed. */
    record Outcome(double seconds, List<String> failures) {}

    private BoundedStart() {}

    /**
     * Runs {@code startAndCheck} for 0..n-1; it launches instance i, waits until it answered its request
     * correctly and returns null, or returns what went wrong. Instances still unanswered when {@code
     * timeoutSeconds} have passed are failures.
     */
    static Outcome run(int n, int concurrency, long timeoutSeconds, IntFunction<String> startAndCheck) {
        Semaphore slots = new Semaphore(concurrency, true);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        boolean[] done = new boolean[n];
        AtomicLong lastAnswer = new AtomicLong();
        List<Thread> threads = new ArrayList<>(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int index = i;
            threads.add(Thread.ofVirtual().name("density-start-" + i).start(() -> {
                try {
                    slots.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    String problem = startAndCheck.apply(index);
                    if (problem == null) lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                    else failures.add("instance " + index + ": " + problem);
                } catch (RuntimeException e) {
                    failures.add("instance " + index + ": " + e.getMessage());
                } finally {
                    synchronized (done) {
                        done[index] = true;
                    }
                    slots.release();
                }
            }));
        }
        long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int unanswered = 0;
        synchronized (done) {
            for (boolean d : done) if (!d) unanswered++;
        }
        if (unanswered > 0) {
            threads.forEach(Thread::interrupt);
            failures.add(unanswered + " of " + n + " instances had not answered after " + timeoutSeconds + " s");
        }
        long last = lastAnswer.get();
        return new Outcome(last == 0 ? Double.NaN : (last - t0) / 1e9, List.copyOf(failures));
    }
}
