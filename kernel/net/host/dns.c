/*
 * Name lookups on host sockets: numeric names and "localhost" locally (dns_names.c), anything else
 * as an A query over UDP to the host's resolver, the first IPv4 `nameserver` of the host's
 * /etc/resolv.conf (plat_resolver_config, read before the sandbox). Its timing is that of lwIP's
 * resolver, so a VM and a process answer alike: a question at 0, 1, 2 and 4 s, giving up at 7 s;
 * a negative answer, an error or no A record is DNS_NOT_FOUND at once. Without a nameserver (or a
 * network) any other name is DNS_NO_NETWORK, what the VM answers when it has no DNS server.
 *
 * The question goes out from the kernel, not the app, so the outbound rules do not apply to it:
 * the permission is the name-lookup flag the WASI layer checks first, as for the VM's resolver.
 * The socket is connected to the server, so the host delivers only its datagrams; each one is
 * still checked against the question (id, flags, the name asked) and parsed within its length.
 */
#include "dns.h"

#include "kernel/console.h"
#include "kernel/platform.h"
#include "kernel/string.h"
#include "net.h"
#include "tcp_socket.h"

#define DNS_PORT 53
/* RFC 1035: a name is at most 255 bytes encoded, a label 63; answers over UDP at most 512 bytes
 * (no EDNS asked for). */
#define NAME_WIRE_MAX 255
#define LABEL_MAX 63
#define MESSAGE_MAX 512
#define HEADER_SIZE 12
#define TYPE_A 1
#define CLASS_IN 1
/* Compression pointers followed while comparing one name: more means a loop or a hostile server. */
#define POINTER_HOPS_MAX 16
/* Datagrams not answering the question that one lookup reads at most before giving up. */
#define STRAY_REPLIES_MAX 64

/* When each question goes out and when the lookup gives up, in ms from its start (lwIP's
 * DNS_MAX_RETRIES 4 with its 1 s timer and doubling wait). */
static const uint32_t SEND_AT_MS[] = {0, 1000, 2000, 4000};
#define GIVE_UP_MS 7000

static bool server_known;
static uint8_t server[4];

void dns_setup(const uint8_t configured[4]) {
    /* the boot configuration's server is the VM's (10.0.2.3 on QEMU's user network); a process asks
     * the host's own resolver, known only once plat_confine has read its configuration */
    (void)configured;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* The first `nameserver` line with an IPv4 address (resolv.conf(5)); IPv6 ones are skipped. */
static bool find_server(void) {
    const char *text;
    size_t length = plat_resolver_config(&text);
    static const char keyword[] = "nameserver";
    size_t at = 0;
    while (at < length) {
        size_t end = at;
        while (end < length && text[end] != '\n') end++;
        size_t i = at;
        while (i < end && is_space(text[i])) i++;
        if (end - i > sizeof keyword - 1 && memcmp(text + i, keyword, sizeof keyword - 1) == 0 &&
            is_space(text[i + sizeof keyword - 1])) {
            i += sizeof keyword - 1;
            while (i < end && is_space(text[i])) i++;
            char address[16];
            size_t n = 0;
            while (i < end && !is_space(text[i]) && text[i] != '#' && text[i] != ';' && n < sizeof address - 1) {
                address[n++] = text[i++];
            }
            address[n] = 0;
            if (dns_parse_ipv4(address, server)) return true;
        }
        at = end + 1;
    }
    return false;
}

/* Writes the query for `name`'s A record; its length, 0 for a name DNS cannot carry. */
static size_t build_query(const char *name, uint16_t id, uint8_t *out) {
    size_t n = 0;
    out[n++] = (uint8_t)(id >> 8), out[n++] = (uint8_t)id;
    out[n++] = 0x01, out[n++] = 0x00; /* a standard query, recursion desired */
    out[n++] = 0, out[n++] = 1;       /* one question */
    for (int i = 0; i < 6; i++) out[n++] = 0;
    size_t name_start = n;
    const char *p = name;
    while (*p) {
        const char *dot = p;
        while (*dot && *dot != '.') dot++;
        size_t label = (size_t)(dot - p);
        if (label == 0 || label > LABEL_MAX) return 0; /* an empty label: "a..b" or ".a" */
        if (n - name_start + 1 + label + 1 > NAME_WIRE_MAX) return 0;
        out[n++] = (uint8_t)label;
        memcpy(out + n, p, label);
        n += label;
        p = *dot ? dot + 1 : dot; /* a trailing dot is the root: allowed */
    }
    if (n == name_start) return 0;
    out[n++] = 0;
    out[n++] = 0, out[n++] = TYPE_A;
    out[n++] = 0, out[n++] = CLASS_IN;
    return n;
}

static char lower(uint8_t c) { return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); }

/* Whether the name at `at` in the reply equals the query's at `q` (uncompressed, from build_query),
 * ignoring case; *end is where the name ends in place (after its root label or first pointer). */
static bool same_name(const uint8_t *m, size_t len, size_t at, const uint8_t *q, size_t *end) {
    size_t hops = 0;
    bool jumped = false;
    for (;;) {
        if (at >= len) return false;
        uint8_t label = m[at];
        if ((label & 0xc0) == 0xc0) {
            if (at + 1 >= len || ++hops > POINTER_HOPS_MAX) return false;
            if (!jumped) *end = at + 2;
            jumped = true;
            at = (size_t)(label & 0x3f) << 8 | m[at + 1];
            continue;
        }
        if (label & 0xc0) return false; /* the reserved label kinds */
        if (label != *q) return false;
        if (label == 0) {
            if (!jumped) *end = at + 1;
            return true;
        }
        if (at + 1 + label > len) return false;
        for (size_t i = 1; i <= label; i++) {
            if (lower(m[at + i]) != lower(q[i])) return false;
        }
        at += 1 + label;
        q += 1 + label;
    }
}

/* Where the name at `at` ends in place, or 0 when it runs past the message. */
static size_t skip_name(const uint8_t *m, size_t len, size_t at) {
    /* bounded: every step moves forward, and a pointer ends the name */
    while (at < len) {
        uint8_t label = m[at];
        if ((label & 0xc0) == 0xc0) return at + 2 <= len ? at + 2 : 0;
        if (label & 0xc0) return 0;
        if (label == 0) return at + 1;
        at += 1 + (size_t)label;
    }
    return 0;
}

static uint16_t u16_at(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

enum reply { REPLY_STRAY, REPLY_FOUND, REPLY_NOT_FOUND };

/* Reads a reply to `query` (its length `query_len`): stray when it does not answer that question. */
static enum reply parse_reply(const uint8_t *m, size_t len, const uint8_t *query, size_t query_len,
                              uint8_t address[4]) {
    if (len < HEADER_SIZE) return REPLY_STRAY;
    if (u16_at(m) != u16_at(query)) return REPLY_STRAY;
    if (!(m[2] & 0x80) || (m[2] & 0x78)) return REPLY_STRAY; /* not a response, or not to a standard query */
    if (u16_at(m + 4) != 1) return REPLY_STRAY;
    size_t at;
    if (!same_name(m, len, HEADER_SIZE, query + HEADER_SIZE, &at)) return REPLY_STRAY;
    if (at + 4 > len || memcmp(m + at, query + query_len - 4, 4) != 0) return REPLY_STRAY;
    at += 4;
    /* lwIP's resolver: any error code (NXDOMAIN, SERVFAIL, ...) ends the lookup without an address */
    if (m[3] & 0x0f) return REPLY_NOT_FOUND;
    uint16_t answers = u16_at(m + 6);
    for (uint16_t i = 0; i < answers; i++) {
        at = skip_name(m, len, at);
        if (!at || at + 10 > len) return REPLY_NOT_FOUND;
        uint16_t type = u16_at(m + at), class = u16_at(m + at + 2), rdlength = u16_at(m + at + 8);
        at += 10;
        if (rdlength > len - at) return REPLY_NOT_FOUND;
        /* as lwIP, the first A record whatever its owner: a CNAME chain ends in it */
        if (type == TYPE_A && class == CLASS_IN && rdlength == 4) {
            memcpy(address, m + at, 4);
            return REPLY_FOUND;
        }
        at += rdlength;
    }
    return REPLY_NOT_FOUND;
}

struct waiter {
    int32_t h;
    uint64_t until;
};

static bool readable(void *arg) {
    struct waiter *w = arg;
    if (plat_sock_ready(w->h) & PLAT_SOCK_READ) return true;
    plat_sock_watch(w->h, PLAT_SOCK_READ);
    return false;
}

static enum dns_result ask(const char *name, uint8_t address[4]) {
    uint8_t query[HEADER_SIZE + NAME_WIRE_MAX + 1 + 4];
    uint16_t id;
    plat_entropy(&id, sizeof id);
    size_t query_len = build_query(name, id, query);
    if (!query_len) return DNS_NOT_FOUND;
    struct waiter w;
    int err = plat_sock_open(PLAT_SOCK_DGRAM, &w.h);
    if (err) {
        console_verbose("dns: no socket for the query (error %d)", err);
        return err == WASI_ENOMEM ? DNS_NO_MEMORY : DNS_NOT_FOUND;
    }
    struct plat_sockaddr to = {.port = DNS_PORT};
    memcpy(to.address, server, 4);
    err = plat_sock_connect(w.h, &to);
    enum dns_result result = DNS_NOT_FOUND;
    uint64_t start = plat_clock_monotonic_ns();
    uint32_t strays = 0;
    for (size_t attempt = 0; !err && attempt < ARRAY_LEN(SEND_AT_MS) && strays < STRAY_REPLIES_MAX; attempt++) {
        struct plat_sock_part part = {query, (uint32_t)query_len};
        size_t sent;
        /* a failed send (ICMP unreachable of an earlier one, no buffer) is a lost question: the next try may pass */
        plat_sock_send(w.h, &part, 1, NULL, &sent);
        uint32_t next_ms = attempt + 1 < ARRAY_LEN(SEND_AT_MS) ? SEND_AT_MS[attempt + 1] : GIVE_UP_MS;
        w.until = start + (uint64_t)next_ms * 1000000ull;
        while (strays < STRAY_REPLIES_MAX && net_wait(readable, &w, w.until)) {
            uint8_t reply[MESSAGE_MAX];
            struct plat_sock_part in = {reply, sizeof reply};
            size_t got;
            bool truncated;
            int r = plat_sock_recv(w.h, &in, 1, false, &got, &truncated, NULL);
            if (r == WASI_EAGAIN) continue;
            if (r) { /* an ICMP error for the question: nothing listens there; wait for the next try */
                strays++;
                continue;
            }
            switch (parse_reply(reply, got, query, query_len, address)) {
            case REPLY_FOUND: result = DNS_FOUND; goto done;
            case REPLY_NOT_FOUND: goto done;
            case REPLY_STRAY: strays++; break;
            }
        }
    }
done:
    plat_sock_close(w.h);
    return result;
}

enum dns_result dns_lookup(const char *name, uint8_t address[4]) {
    if (dns_answer_locally(name, address)) return DNS_FOUND;
    if (!net_available()) return DNS_NO_NETWORK;
    if (!server_known && !find_server()) return DNS_NO_NETWORK;
    server_known = true;
    return ask(name, address);
}
