package dev.uniwasm.bench.http;

import dev.uniwasm.bench.core.BenchContext;
import dev.uniwasm.bench.core.BenchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * nginx for the Linux guest: Debian's {@code nginx} binary (what {@code nginx-light} installs on
 * Debian 12) from its .deb, the shared libraries it links ({@link SharedLibraries}), and a minimal
 * configuration serving the site like the native server does.
 */
final class NginxPayload {
    static final String BINARY = "usr/sbin/nginx";

    /** initramfs path -> host file */
    final Map<String, Path> files = new LinkedHashMap<>();

    final Map<String, byte[]> generated = new LinkedHashMap<>();
    final String command = "/" + BINARY + " -c /etc/nginx/nginx.conf";

    NginxPayload(BenchContext ctx, DebianBinaries debs, int workers, String siteRoot) {
        Path nginx = debs.unpacked("nginx").resolve(BINARY);
        if (!Files.isRegularFile(nginx)) throw new BenchException("Debian's nginx package has no " + BINARY);
        files.put(BINARY, nginx);
        files.putAll(SharedLibraries.of(ctx, nginx));
        generated.put("etc/nginx/nginx.conf", config(workers, siteRoot).getBytes(StandardCharsets.UTF_8));
        generated.put("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.US_ASCII));
        generated.put("etc/group", "root:x:0:\n".getBytes(StandardCharsets.US_ASCII));
        // nginx opens its built-in error log and temporary folders before reading the configuration
        generated.put("var/log/nginx/.keep", new byte[0]);
        generated.put("var/lib/nginx/.keep", new byte[0]);
    }

    /**
     * One worker per vCPU, no access log, sendfile, keep-alive without a request limit (the native
     * server has none either: the figures then compare servers, not connection policies), Nagle off
     * (as uniwasm and the native server), the listen backlog at nginx's default (511).
     */
    static String config(int workers, String siteRoot) {
        return """
                user root root;
                worker_processes %d;
                worker_rlimit_nofile 65536;
                daemon off;
                master_process on;
                pid /tmp/nginx.pid;
                error_log stderr warn;
                events {
                    worker_connections 4096;
                }
                http {
                    access_log off;
                    sendfile on;
                    tcp_nopush on;
                    tcp_nodelay on;
                    keepalive_timeout 65;
                    keepalive_requests 1000000000;
                    types {
                        text/html html;
                        application/octet-stream bin;
                    }
                    default_type application/octet-stream;
                    server {
                        listen 80 backlog=511;
                        root %s;
                        index index.html;
                    }
                }
                """.formatted(workers, siteRoot);
    }
}
