package dev.uniwasm.bench.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteTest {
    @TempDir
    Path dir;

    @Test
    void writesA612BytePageAndADeterministic64KiBFile() throws Exception {
        Site.write(dir);
        byte[] page = Files.readAllBytes(dir.resolve("index.html"));
        assertEquals(612, page.length);
        assertTrue(new String(page, StandardCharsets.US_ASCII).endsWith("</html>\n"));
        byte[] large = Files.readAllBytes(dir.resolve("64k.bin"));
        assertEquals(65536, large.length);
        assertArrayEquals(Site.large(), large, "same bytes every run");
    }

    @Test
    void nginxConfigurationHasOneWorkerPerVcpuNoAccessLogAndSendfile() {
        String conf = NginxPayload.config(1, "/www");
        assertTrue(conf.contains("worker_processes 1;"), conf);
        assertTrue(conf.contains("access_log off;"), conf);
        assertTrue(conf.contains("sendfile on;"), conf);
        assertTrue(conf.contains("root /www;"), conf);
    }
}
