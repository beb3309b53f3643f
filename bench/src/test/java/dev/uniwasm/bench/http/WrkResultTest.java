package dev.uniwasm.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WrkResultTest {
    private static final String CLEAN = """
            Running 3s test @ http://127.0.0.1:18080/index.html
              2 threads and 30 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   835.73us  498.67us   9.52ms   80.27%
                Req/Sec    17.84k     2.37k   24.94k    64.52%
              Latency Distribution
                 50%  799.00us
                 75%    1.06ms
                 90%    1.32ms
                 99%    2.39ms
              110076 requests in 3.10s, 78.84MB read
            Requests/sec:  35483.79
            Transfer/sec:     25.41MB
            """;

    @Test
    void readsThroughputPercentilesAndCount() {
        WrkResult r = WrkResult.parse(CLEAN);
        assertEquals(35483.79, r.requestsPerSecond(), 1e-9);
        assertEquals(799e-6, r.p50Seconds(), 1e-12);
        assertEquals(2.39e-3, r.p99Seconds(), 1e-12);
        assertEquals(110076, r.requests());
        assertTrue(r.clean());
    }

    @Test
    void readsErrorCountersAndSecondsLatencies() {
        String out = CLEAN.replace("99%    2.39ms", "99%    1.20s")
                .replace("50%  799.00us", "50%   12.50ms")
                .replace(
                        "Requests/sec:",
                        "  Socket errors: connect 0, read 3, write 1, timeout 7\n  Non-2xx or 3xx responses: 5\nRequests/sec:");
        WrkResult r = WrkResult.parse(out);
        assertEquals(12.5e-3, r.p50Seconds(), 1e-12);
        assertEquals(1.2, r.p99Seconds(), 1e-12);
        assertEquals(3, r.readErrors());
        assertEquals(1, r.writeErrors());
        assertEquals(7, r.timeouts());
        assertEquals(5, r.non2xx());
        assertFalse(r.clean());
        assertTrue(r.errorSummary().contains("timeout 7"));
    }

    @Test
    void namesWhatIsMissing() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> WrkResult.parse(CLEAN.replace("Requests/sec:  35483.79\n", "")));
        assertTrue(e.getMessage().contains("Requests/sec"));
        e = assertThrows(
                IllegalArgumentException.class, () -> WrkResult.parse(CLEAN.replace("     99%    2.39ms\n", "")));
        assertTrue(e.getMessage().contains("--latency"));
    }
}
