/*
 * Static-file HTTP/1.1 server over a pre-opened directory, for the paper's load (wrk, 800
 * connections): one poll_oneoff loop over the pre-opened listener (--tcplisten) and every
 * connection, all non-blocking, WASI preview1 only (raw calls from wasi/api.h, so nothing in the
 * request path allocates or goes through stdio).
 *
 *   http_server [--max-connections N] [--timeout SECONDS] ROOT
 *
 * ROOT is the guest path of a pre-opened directory (uniwasm run --dir HOST::/www ... /www).
 * Serves GET and HEAD; keep-alive for HTTP/1.1 (and HTTP/1.0 with "Connection: keep-alive"),
 * pipelined requests in order, Content-Length and Content-Type by extension, index.html for
 * directories. Errors: 400 malformed request or a ".." path segment, 404, 405 other methods,
 * 431 request headers over 8 KiB, 505 other HTTP versions, 503 when --max-connections are open
 * (then the new connection is closed at once). A connection must deliver each request's headers,
 * and a response must make progress, within --timeout seconds, else it is closed (slowloris).
 *
 * Memory: each connection owns one request buffer and one response buffer, taken from a pool that
 * only grows to the peak number of connections; files are sent through the response buffer a chunk
 * at a time, never read whole. The header and the first chunk leave in one fd_write.
 *
 * Prints "ready fd N root ROOT" when it starts polling; runs until the VM is stopped.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#include "preopened_listener.h"

#define REQUEST_MAX 8192      /* request line + headers; more is 431 */
#define RESPONSE_BUFFER 16384 /* one per connection: header + file chunks */
#define PATH_MAX_BYTES 1024
#define DEFAULT_MAX_CONNECTIONS 1024
#define MAX_CONNECTIONS_LIMIT 16384
#define DEFAULT_TIMEOUT_SECONDS 30
#define ACCEPTS_PER_ROUND 128 /* so a connection flood cannot starve the open connections */
#define NS_PER_SECOND 1000000000ull

#define LISTENER_TAG UINT64_MAX
#define TIMER_TAG (UINT64_MAX - 1)

enum conn_state { READING, WRITING };

struct buffers {
    struct buffers *next_free;
    char request[REQUEST_MAX];
    uint8_t response[RESPONSE_BUFFER];
};

struct conn {
    int fd;              /* -1: slot free */
    uint32_t generation; /* tells a stale poll event from one for the slot's next connection */
    uint32_t live_index; /* position in live[] */
    enum conn_state state;
    uint64_t deadline; /* monotonic ns: headers complete / next write progress by then */
    struct buffers *buf;
    uint32_t request_len;  /* bytes in buf->request */
    uint32_t scanned;      /* bytes already searched for the end of the headers */
    uint32_t request_used; /* bytes of the request being answered (headers) */
    uint32_t out_pos, out_len;
    int file_fd; /* body still to read, or -1 */
    uint64_t file_left;
    bool close_after; /* after this response */
};

static int listener_fd = -1;
static int root_fd = -1;
static const char *root_name;
static uint32_t max_connections = DEFAULT_MAX_CONNECTIONS;
static uint64_t timeout_ns = DEFAULT_TIMEOUT_SECONDS * NS_PER_SECOND;

static struct conn *conns; /* max_connections slots */
static uint32_t *live;     /* indices of open slots, unordered */
static uint32_t live_count;
static uint32_t *free_slots; /* stack of free slot indices */
static uint32_t free_count;
static struct buffers *free_buffers;
static __wasi_subscription_t *subscriptions;
static __wasi_event_t *events;

/* ---- small helpers ---- */

static uint64_t monotonic_now(void) {
    __wasi_timestamp_t t = 0;
    if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t) != 0) return 0;
    return t;
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

static bool equals_ignore_case(const char *a, size_t alen, const char *b) {
    size_t blen = strlen(b);
    if (alen != blen) return false;
    for (size_t i = 0; i < alen; i++)
        if (lower(a[i]) != b[i]) return false;
    return true;
}

static bool is_tchar(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Appends to a response header under construction; the header always fits (its parts are bounded). */
struct out {
    uint8_t *p;
    uint32_t len;
};

static void put(struct out *o, const char *s, size_t n) {
    memcpy(o->p + o->len, s, n);
    o->len += (uint32_t)n;
}

static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }

static void put_u64(struct out *o, uint64_t v) {
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) o->p[o->len++] = (uint8_t)digits[--n];
}

/* ---- Date header: formatted once a second ---- */

static char date_line[64]; /* "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n" */
static size_t date_len;
static uint64_t date_second = UINT64_MAX;

static void two_digits(char *p, unsigned v) {
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

static const char *date_header(size_t *len) {
    __wasi_timestamp_t t = 0;
    if (__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, NS_PER_SECOND, &t) != 0) {
        *len = 0;
        return "";
    }
    uint64_t secs = t / NS_PER_SECOND;
    if (secs != date_second) {
        static const char days[7][4] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
        static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        date_second = secs;
        uint64_t day = secs / 86400, rem = secs % 86400;
        /* civil date from days since 1970-01-01 (Howard Hinnant's algorithm) */
        int64_t z = (int64_t)day + 719468;
        int64_t era = z / 146097;
        unsigned doe = (unsigned)(z - era * 146097);
        unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        int64_t year = (int64_t)yoe + era * 400;
        unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        unsigned mp = (5 * doy + 2) / 153;
        unsigned mday = doy - (153 * mp + 2) / 5 + 1;
        unsigned month = mp < 10 ? mp + 3 : mp - 9;
        if (month <= 2) year++;
        char *p = date_line;
        memcpy(p, "Date: ", 6);
        p += 6;
        memcpy(p, days[day % 7], 3);
        p += 3;
        *p++ = ',';
        *p++ = ' ';
        two_digits(p, mday);
        p += 2;
        *p++ = ' ';
        memcpy(p, months[month - 1], 3);
        p += 3;
        *p++ = ' ';
        unsigned y = (unsigned)year;
        p[0] = (char)('0' + y / 1000 % 10);
        p[1] = (char)('0' + y / 100 % 10);
        p[2] = (char)('0' + y / 10 % 10);
        p[3] = (char)('0' + y % 10);
        p += 4;
        *p++ = ' ';
        two_digits(p, (unsigned)(rem / 3600));
        p[2] = ':';
        two_digits(p + 3, (unsigned)(rem / 60 % 60));
        p[5] = ':';
        two_digits(p + 6, (unsigned)(rem % 60));
        p += 8;
        memcpy(p, " GMT\r\n", 6);
        p += 6;
        date_len = (size_t)(p - date_line);
    }
    *len = date_len;
    return date_line;
}

/* ---- Content-Type by extension ---- */

static const struct {
    const char *ext;
    const char *type;
} content_types[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"xml", "application/xml"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/x-icon"},
    {"wasm", "application/wasm"},
    {"pdf", "application/pdf"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
    {"tar", "application/x-tar"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
    {"mp3", "audio/mpeg"},
    {"ogg", "audio/ogg"},
    {"wav", "audio/wav"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
};

static const char *content_type_for(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    const char *dot = strrchr(name, '.');
    if (dot && dot != name) {
        size_t n = strlen(dot + 1);
        for (size_t i = 0; i < sizeof content_types / sizeof content_types[0]; i++) {
            if (equals_ignore_case(dot + 1, n, content_types[i].ext)) return content_types[i].type;
        }
    }
    return "application/octet-stream";
}

/* ---- connections ---- */

static void close_conn(struct conn *c) {
    (void)__wasi_fd_close((__wasi_fd_t)c->fd);
    if (c->file_fd >= 0) (void)__wasi_fd_close((__wasi_fd_t)c->file_fd);
    c->fd = -1;
    c->file_fd = -1;
    c->generation++;
    c->buf->next_free = free_buffers;
    free_buffers = c->buf;
    c->buf = NULL;
    uint32_t slot = (uint32_t)(c - conns);
    uint32_t last = live[--live_count];
    live[c->live_index] = last;
    conns[last].live_index = c->live_index;
    free_slots[free_count++] = slot;
}

/* A canned reply for a connection the server will not keep: best effort, then close. */
static void refuse(int fd, const char *response) {
    __wasi_ciovec_t iov = {(const uint8_t *)response, strlen(response)};
    __wasi_size_t n;
    (void)__wasi_fd_write((__wasi_fd_t)fd, &iov, 1, &n);
    (void)__wasi_fd_close((__wasi_fd_t)fd);
}

static const char RESPONSE_503[] =
    "HTTP/1.1 503 Service Unavailable\r\nServer: uniwasm-http\r\nContent-Type: text/plain\r\n"
    "Content-Length: 20\r\nConnection: close\r\n\r\n503 too many clients";

static void accept_connections(uint64_t now) {
    for (int i = 0; i < ACCEPTS_PER_ROUND; i++) {
        __wasi_fd_t fd;
        __wasi_errno_t err = __wasi_sock_accept((__wasi_fd_t)listener_fd, __WASI_FDFLAGS_NONBLOCK, &fd);
        if (err == __WASI_ERRNO_AGAIN) return;
        if (err) {
            /* a connection that died in the queue, or no descriptor: the listener stays usable */
            if (err == __WASI_ERRNO_NFILE || err == __WASI_ERRNO_MFILE || err == __WASI_ERRNO_NOMEM) return;
            continue;
        }
        if (!free_count) {
            refuse((int)fd, RESPONSE_503);
            continue;
        }
        struct buffers *b = free_buffers;
        if (b) free_buffers = b->next_free;
        else b = malloc(sizeof *b);
        if (!b) {
            refuse((int)fd, RESPONSE_503);
            continue;
        }
        uint32_t slot = free_slots[--free_count];
        struct conn *c = &conns[slot];
        c->fd = (int)fd;
        c->buf = b;
        c->state = READING;
        c->deadline = now + timeout_ns;
        c->request_len = c->scanned = c->request_used = 0;
        c->out_pos = c->out_len = 0;
        c->file_fd = -1;
        c->file_left = 0;
        c->close_after = false;
        c->live_index = live_count;
        live[live_count++] = slot;
    }
}

/* ---- responses ---- */

static void begin_headers(struct out *o, const char *status, bool close_after, bool http10) {
    puts_(o, "HTTP/1.1 ");
    puts_(o, status);
    puts_(o, "\r\nServer: uniwasm-http\r\n");
    size_t dlen;
    const char *d = date_header(&dlen);
    put(o, d, dlen);
    if (close_after) puts_(o, "Connection: close\r\n");
    else if (http10) puts_(o, "Connection: keep-alive\r\n");
}

/* An error with a short text body; the status text doubles as the body. */
static void error_response(struct conn *c, const char *status, bool close_after, bool http10, bool head,
                           const char *extra_header) {
    struct out o = {c->buf->response, 0};
    c->close_after = close_after;
    begin_headers(&o, status, close_after, http10);
    if (extra_header) puts_(&o, extra_header);
    size_t body = strlen(status) + 1;
    puts_(&o, "Content-Type: text/plain; charset=utf-8\r\nContent-Length: ");
    put_u64(&o, body);
    puts_(&o, "\r\n\r\n");
    if (!head) {
        puts_(&o, status);
        puts_(&o, "\n");
    }
    c->out_pos = 0;
    c->out_len = o.len;
    c->state = WRITING;
}

/* Decodes an origin-form target into a path relative to the root ("" for the root itself):
 * percent-decoded, empty and "." segments dropped. Returns 0, or 400 for a malformed target or a
 * ".." segment. *dir_form: the target ends with '/' (or names the root). */
static int target_to_path(const char *target, size_t len, char *path, bool *dir_form) {
    if (len >= 8 && equals_ignore_case(target, 8, "https://")) {
        target += 8;
        len -= 8;
    } else if (len >= 7 && equals_ignore_case(target, 7, "http://")) {
        target += 7;
        len -= 7;
    } else if (!len || target[0] != '/') {
        return 400;
    } else {
        goto origin_form;
    }
    {
        /* absolute-form: drop the authority */
        const char *slash = memchr(target, '/', len);
        if (!slash) {
            target = "/";
            len = 1;
        } else {
            len -= (size_t)(slash - target);
            target = slash;
        }
    }
origin_form:
    for (size_t i = 0; i < len; i++) {
        if (target[i] == '?' || target[i] == '#') {
            len = i;
            break;
        }
    }
    size_t n = 0; /* bytes written to path */
    *dir_form = true;
    size_t i = 1;
    while (i <= len) {
        /* one segment: target[i .. next '/' or len) */
        size_t seg_start = n;
        while (i < len && target[i] != '/') {
            char ch = target[i];
            if (ch == '%') {
                if (i + 2 >= len) return 400;
                int hi = hex_value(target[i + 1]), lo = hex_value(target[i + 2]);
                if (hi < 0 || lo < 0) return 400;
                ch = (char)(hi << 4 | lo);
                i += 2;
                /* an encoded separator would smuggle a ".." or an absolute path past this check */
                if (ch == '/' || ch == '\\') return 400;
            }
            if ((unsigned char)ch < 0x20 || ch == 0x7f) return 400;
            if (n + 2 >= PATH_MAX_BYTES) return 400;
            path[n++] = ch;
            i++;
        }
        size_t seg = n - seg_start;
        bool last = i >= len;
        bool dropped = seg == 0 || (seg == 1 && path[seg_start] == '.');
        if (seg == 2 && path[seg_start] == '.' && path[seg_start + 1] == '.') return 400;
        if (dropped) n = seg_start;
        else if (!last) path[n++] = '/';
        *dir_form = dropped; /* the last segment decides: "/a/" and "/a/." name a directory */
        i++;                 /* past the '/' */
    }
    if (n && path[n - 1] == '/') n--;
    path[n] = '\0';
    return 0;
}

static const char *status_text(int code) {
    switch (code) {
    case 400: return "400 Bad Request";
    case 403: return "403 Forbidden";
    case 404: return "404 Not Found";
    case 405: return "405 Method Not Allowed";
    case 431: return "431 Request Header Fields Too Large";
    case 500: return "500 Internal Server Error";
    case 505: return "505 HTTP Version Not Supported";
    default: return "500 Internal Server Error";
    }
}

/* Opens the file for a request; a directory gets its index.html. 0, or an HTTP status. */
static int open_file(char *path, size_t cap, bool dir_form, int *fd_out, uint64_t *size_out, bool *redirect) {
    *redirect = false;
    size_t n = strlen(path);
    if (dir_form || !n) {
        const char *index = n ? "/index.html" : "index.html";
        if (n + strlen(index) + 1 > cap) return 404;
        memcpy(path + n, index, strlen(index) + 1);
    }
    __wasi_fd_t fd;
    __wasi_errno_t err = __wasi_path_open((__wasi_fd_t)root_fd, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, 0,
                                          __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET, 0, 0, &fd);
    if (err) {
        switch (err) {
        case __WASI_ERRNO_NOENT:
        case __WASI_ERRNO_NOTDIR:
        case __WASI_ERRNO_LOOP:
        case __WASI_ERRNO_NAMETOOLONG: return 404;
        case __WASI_ERRNO_PERM:
        case __WASI_ERRNO_ACCES:
        case __WASI_ERRNO_NOTCAPABLE: return 403;
        default: return 500;
        }
    }
    __wasi_filestat_t st;
    if (__wasi_fd_filestat_get(fd, &st) != 0) {
        (void)__wasi_fd_close(fd);
        return 500;
    }
    if (st.filetype == __WASI_FILETYPE_DIRECTORY) {
        (void)__wasi_fd_close(fd);
        if (dir_form || !n) return 404; /* index.html is a directory */
        *redirect = true;
        return 301;
    }
    if (st.filetype != __WASI_FILETYPE_REGULAR_FILE) {
        (void)__wasi_fd_close(fd);
        return 404;
    }
    *fd_out = (int)fd;
    *size_out = st.size;
    return 0;
}

/* What a request's headers say; parse_request fills it. */
struct request {
    const char *method;
    size_t method_len;
    const char *target;
    size_t target_len;
    bool http10;
    bool keep_alive;
    bool has_body;
    int hosts;
};

/* Finds the next line in [p, end): returns its length without the line ending and sets *next. */
static size_t line_at(const char *p, const char *end, const char **next) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = (size_t)(nl - p);
    *next = nl + 1;
    if (len && p[len - 1] == '\r') len--;
    return len;
}

/* Parses request line and headers in [start, end) (end is just past the blank line).
 * 0, or an HTTP status for a bad request. */
static int parse_request(const char *start, const char *end, struct request *r) {
    memset(r, 0, sizeof *r);
    const char *next;
    size_t len = line_at(start, end, &next);
    const char *line = start;
    /* request-line: method SP target SP HTTP/x.y */
    size_t i = 0;
    while (i < len && is_tchar((unsigned char)line[i])) i++;
    if (!i || i >= len || line[i] != ' ') return 400;
    r->method = line;
    r->method_len = i;
    size_t t0 = ++i;
    while (i < len && line[i] != ' ') {
        if ((unsigned char)line[i] <= 0x20 || line[i] == 0x7f) return 400;
        i++;
    }
    if (i == t0 || i >= len) return 400;
    r->target = line + t0;
    r->target_len = i - t0;
    const char *version = line + i + 1;
    size_t vlen = len - i - 1;
    if (vlen != 8 || memcmp(version, "HTTP/", 5) != 0 || version[6] != '.' || version[5] < '0' || version[5] > '9' ||
        version[7] < '0' || version[7] > '9') {
        return 400;
    }
    if (version[5] != '1') return 505;
    r->http10 = version[7] == '0';
    r->keep_alive = !r->http10;
    /* header fields */
    for (const char *p = next; p < end;) {
        len = line_at(p, end, &next);
        line = p;
        p = next;
        if (!len) break;                                   /* the blank line */
        if (line[0] == ' ' || line[0] == '\t') return 400; /* obsolete line folding */
        size_t colon = 0;
        while (colon < len && is_tchar((unsigned char)line[colon])) colon++;
        if (!colon || colon >= len || line[colon] != ':') return 400;
        const char *value = line + colon + 1;
        size_t value_len = len - colon - 1;
        while (value_len && (*value == ' ' || *value == '\t')) value++, value_len--;
        while (value_len && (value[value_len - 1] == ' ' || value[value_len - 1] == '\t')) value_len--;
        for (size_t k = 0; k < value_len; k++) {
            unsigned char ch = (unsigned char)value[k];
            if ((ch < 0x20 && ch != '\t') || ch == 0x7f) return 400;
        }
        if (equals_ignore_case(line, colon, "host")) {
            r->hosts++;
        } else if (equals_ignore_case(line, colon, "connection")) {
            /* a comma-separated token list */
            for (size_t k = 0; k < value_len;) {
                while (k < value_len && (value[k] == ',' || value[k] == ' ' || value[k] == '\t')) k++;
                size_t s = k;
                while (k < value_len && value[k] != ',' && value[k] != ' ' && value[k] != '\t') k++;
                if (equals_ignore_case(value + s, k - s, "close")) r->keep_alive = false;
                else if (equals_ignore_case(value + s, k - s, "keep-alive") && r->http10) r->keep_alive = true;
            }
        } else if (equals_ignore_case(line, colon, "content-length")) {
            if (!value_len) return 400;
            uint64_t v = 0;
            for (size_t k = 0; k < value_len; k++) {
                if (value[k] < '0' || value[k] > '9' || v > UINT64_MAX / 10 - 1) return 400;
                v = v * 10 + (uint64_t)(value[k] - '0');
            }
            if (v) r->has_body = true;
        } else if (equals_ignore_case(line, colon, "transfer-encoding")) {
            r->has_body = true;
        }
    }
    if (!r->http10 && r->hosts != 1) return 400; /* RFC 9112 3.2: exactly one Host in HTTP/1.1 */
    if (r->hosts > 1) return 400;
    return 0;
}

/* Refills the response buffer from the file; false when the file ended early or failed. */
static bool refill(struct conn *c, uint32_t at) {
    uint64_t want = RESPONSE_BUFFER - at;
    if (want > c->file_left) want = c->file_left;
    __wasi_iovec_t iov = {c->buf->response + at, (size_t)want};
    __wasi_size_t got = 0;
    if (__wasi_fd_read((__wasi_fd_t)c->file_fd, &iov, 1, &got) != 0 || got == 0) return false;
    c->out_len = at + (uint32_t)got;
    c->file_left -= got;
    if (!c->file_left) {
        (void)__wasi_fd_close((__wasi_fd_t)c->file_fd);
        c->file_fd = -1;
    }
    return true;
}

/* Builds the response to the request whose headers end at buf->request + header_len. */
static void respond(struct conn *c, uint32_t header_len) {
    const char *start = c->buf->request;
    c->request_used = header_len;
    struct request r;
    int status = parse_request(start, start + header_len, &r);
    if (status) {
        error_response(c, status_text(status), true, false, false, NULL);
        return;
    }
    bool head = r.method_len == 4 && memcmp(r.method, "HEAD", 4) == 0;
    bool get = r.method_len == 3 && memcmp(r.method, "GET", 3) == 0;
    /* a body is never read: answering and closing keeps the stream in sync */
    bool close_after = !r.keep_alive || r.has_body;
    char path[PATH_MAX_BYTES + 16];
    bool dir_form;
    if (target_to_path(r.target, r.target_len, path, &dir_form)) {
        error_response(c, status_text(400), true, r.http10, head, NULL);
        return;
    }
    if (!get && !head) {
        error_response(c, status_text(405), close_after, r.http10, false, "Allow: GET, HEAD\r\n");
        return;
    }
    int fd = -1;
    uint64_t size = 0;
    bool redirect;
    status = open_file(path, sizeof path, dir_form, &fd, &size, &redirect);
    if (redirect) {
        /* the directory without its slash: send the client to the form whose relative links work */
        size_t query = 0;
        while (query < r.target_len && r.target[query] != '?' && r.target[query] != '#') query++;
        struct out o = {c->buf->response, 0};
        c->close_after = close_after;
        begin_headers(&o, "301 Moved Permanently", close_after, r.http10);
        puts_(&o, "Location: ");
        put(&o, r.target, query);
        puts_(&o, "/\r\nContent-Length: 0\r\n\r\n");
        c->out_pos = 0;
        c->out_len = o.len;
        c->state = WRITING;
        return;
    }
    if (status) {
        error_response(c, status_text(status), close_after, r.http10, head, NULL);
        return;
    }
    struct out o = {c->buf->response, 0};
    c->close_after = close_after;
    begin_headers(&o, "200 OK", close_after, r.http10);
    puts_(&o, "Content-Type: ");
    puts_(&o, content_type_for(path));
    puts_(&o, "\r\nContent-Length: ");
    put_u64(&o, size);
    puts_(&o, "\r\n\r\n");
    c->out_pos = 0;
    c->out_len = o.len;
    c->state = WRITING;
    if (head || !size) {
        (void)__wasi_fd_close((__wasi_fd_t)fd);
        return;
    }
    c->file_fd = fd;
    c->file_left = size;
    /* the first chunk rides with the header: small files leave in one fd_write */
    if (!refill(c, o.len)) {
        if (c->file_fd >= 0) (void)__wasi_fd_close((__wasi_fd_t)c->file_fd);
        c->file_fd = -1;
        c->file_left = 0;
        error_response(c, status_text(500), true, r.http10, false, NULL);
    }
}

static int find_header_end(struct conn *c);

/* Sends what is pending; on completion moves to the next request. Returns false when the
 * connection was closed. */
static bool write_some(struct conn *c, uint64_t now) {
    for (;;) {
        if (c->out_pos == c->out_len) {
            if (c->file_fd >= 0) {
                if (!refill(c, 0)) {
                    close_conn(c); /* the Content-Length promised more: only closing tells the client */
                    return false;
                }
                c->out_pos = 0;
                continue;
            }
            /* response complete */
            if (c->close_after) {
                close_conn(c);
                return false;
            }
            uint32_t rest = c->request_len - c->request_used;
            memmove(c->buf->request, c->buf->request + c->request_used, rest);
            c->request_len = rest;
            c->request_used = 0;
            c->scanned = 0;
            c->out_pos = c->out_len = 0;
            c->state = READING;
            c->deadline = now + timeout_ns;
            if (rest) {
                int end = find_header_end(c);
                if (end > 0) {
                    respond(c, (uint32_t)end);
                    continue;
                }
            }
            return true;
        }
        __wasi_ciovec_t iov = {c->buf->response + c->out_pos, c->out_len - c->out_pos};
        __wasi_size_t n = 0;
        __wasi_errno_t err = __wasi_fd_write((__wasi_fd_t)c->fd, &iov, 1, &n);
        if (err == __WASI_ERRNO_AGAIN) return true;
        if (err || n == 0) {
            close_conn(c);
            return false;
        }
        c->out_pos += (uint32_t)n;
        c->deadline = now + timeout_ns;
    }
}

/* Offset just past the blank line ending the headers, 0 if not there yet, -1 if they are too long. */
static int find_header_end(struct conn *c) {
    const char *b = c->buf->request;
    uint32_t from = c->scanned > 3 ? c->scanned - 3 : 0;
    /* leading blank lines before a request line are ignored (RFC 9112 2.2) */
    if (c->request_used == 0 && from == 0) {
        uint32_t skip = 0;
        while (skip < c->request_len && (b[skip] == '\r' || b[skip] == '\n')) skip++;
        if (skip) {
            memmove(c->buf->request, b + skip, c->request_len - skip);
            c->request_len -= skip;
        }
    }
    for (uint32_t i = from; i < c->request_len; i++) {
        if (b[i] != '\n') continue;
        if (i + 1 < c->request_len && b[i + 1] == '\n') return (int)(i + 2);
        if (i + 2 < c->request_len && b[i + 1] == '\r' && b[i + 2] == '\n') return (int)(i + 3);
    }
    c->scanned = c->request_len;
    return c->request_len >= REQUEST_MAX ? -1 : 0;
}

static void read_some(struct conn *c, uint64_t now) {
    __wasi_iovec_t iov = {(uint8_t *)c->buf->request + c->request_len, REQUEST_MAX - c->request_len};
    __wasi_size_t got = 0;
    __wasi_errno_t err = __wasi_fd_read((__wasi_fd_t)c->fd, &iov, 1, &got);
    if (err == __WASI_ERRNO_AGAIN) return;
    if (err || got == 0) { /* reset, or the client closed (perhaps mid-request): nothing to answer */
        close_conn(c);
        return;
    }
    c->request_len += (uint32_t)got;
    int end = find_header_end(c);
    if (end < 0) {
        error_response(c, status_text(431), true, false, false, NULL);
    } else if (end == 0) {
        return;
    } else {
        respond(c, (uint32_t)end);
    }
    write_some(c, now); /* most responses fit the socket at once: no poll round for them */
}

/* The kernel had no memory for a poll over every connection: the idle keep-alive ones go first
 * (their clients reconnect). Returns how many were closed. */
static uint32_t shed_idle_connections(void) {
    uint32_t shed = 0;
    for (uint32_t k = 0; k < live_count;) {
        struct conn *c = &conns[live[k]];
        if (c->state == READING && c->request_len == 0) {
            close_conn(c); /* moves another connection into position k */
            shed++;
        } else {
            k++;
        }
    }
    if (shed) fprintf(stderr, "http_server: out of memory for poll_oneoff: closed %u idle connections\n", shed);
    return shed;
}

/* ---- set-up ---- */

/* The pre-opened directory named `name` (trailing slashes ignored), or -1. */
static int find_root(const char *name) {
    size_t want = strlen(name);
    while (want > 1 && name[want - 1] == '/') want--;
    for (int fd = 3; fd <= 255; fd++) {
        __wasi_prestat_t ps;
        if (__wasi_fd_prestat_get((__wasi_fd_t)fd, &ps) != 0) continue;
        if (ps.tag != __WASI_PREOPENTYPE_DIR) continue;
        char dir[PATH_MAX_BYTES];
        size_t len = ps.u.dir.pr_name_len;
        if (len >= sizeof dir || __wasi_fd_prestat_dir_name((__wasi_fd_t)fd, (uint8_t *)dir, len) != 0) continue;
        while (len > 1 && dir[len - 1] == '/') len--;
        if (len == want && memcmp(dir, name, len) == 0) return fd;
    }
    return -1;
}

static void usage(void) {
    fprintf(stderr,
            "usage: http_server [--max-connections N] [--timeout SECONDS] ROOT\n"
            "  ROOT: guest path of a pre-opened directory (uniwasm run --dir HOST::ROOT)\n"
            "  --max-connections N: open connections at most (1..%d, default %d); more get 503\n"
            "  --timeout SECONDS: for a request's headers and for each write's progress (default %d)\n",
            MAX_CONNECTIONS_LIMIT, DEFAULT_MAX_CONNECTIONS, DEFAULT_TIMEOUT_SECONDS);
}

static bool parse_number(const char *flag, const char *text, long min, long max, long *out) {
    char *end;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < min || v > max) {
        fprintf(stderr, "http_server: %s \"%s\": expected a number in %ld..%ld\n", flag, text, min, max);
        return false;
    }
    *out = v;
    return true;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        long v;
        if (!strcmp(argv[i], "--max-connections") && i + 1 < argc) {
            if (!parse_number(argv[i], argv[i + 1], 1, MAX_CONNECTIONS_LIMIT, &v)) return 2;
            max_connections = (uint32_t)v;
            i++;
        } else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
            if (!parse_number(argv[i], argv[i + 1], 1, 86400, &v)) return 2;
            timeout_ns = (uint64_t)v * NS_PER_SECOND;
            i++;
        } else if (argv[i][0] == '-' || root_name) {
            fprintf(stderr, "http_server: unexpected argument \"%s\"\n", argv[i]);
            usage();
            return 2;
        } else {
            root_name = argv[i];
        }
    }
    if (!root_name) {
        usage();
        return 2;
    }
    root_fd = find_root(root_name);
    if (root_fd < 0) {
        fprintf(stderr, "http_server: \"%s\" is not a pre-opened directory (uniwasm run --dir HOST::%s)\n", root_name,
                root_name);
        return 2;
    }
    listener_fd = find_preopened_listener();
    if (listener_fd < 0) {
        fprintf(stderr, "http_server: no pre-opened listening socket (run with --tcplisten ADDR:PORT)\n");
        return 2;
    }
    if (__wasi_fd_fdstat_set_flags((__wasi_fd_t)listener_fd, __WASI_FDFLAGS_NONBLOCK) != 0) {
        fprintf(stderr, "http_server: cannot make the listener non-blocking\n");
        return 1;
    }
    conns = calloc(max_connections, sizeof *conns);
    live = calloc(max_connections, sizeof *live);
    free_slots = calloc(max_connections, sizeof *free_slots);
    subscriptions = calloc(max_connections + 2, sizeof *subscriptions);
    events = calloc(max_connections + 2, sizeof *events);
    if (!conns || !live || !free_slots || !subscriptions || !events) {
        fprintf(stderr, "http_server: out of memory for %u connections\n", max_connections);
        return 1;
    }
    for (uint32_t i = 0; i < max_connections; i++) {
        conns[i].fd = -1;
        conns[i].file_fd = -1;
        free_slots[free_count++] = max_connections - 1 - i;
    }
    printf("ready fd %d root %s\n", listener_fd, root_name);
    fflush(stdout);

    for (;;) {
        uint64_t now = monotonic_now();
        size_t n = 0;
        __wasi_subscription_t *s = &subscriptions[n++];
        memset(s, 0, sizeof *s);
        s->userdata = LISTENER_TAG;
        s->u.tag = __WASI_EVENTTYPE_FD_READ;
        s->u.u.fd_read.file_descriptor = (__wasi_fd_t)listener_fd;
        uint64_t earliest = UINT64_MAX;
        for (uint32_t k = 0; k < live_count;) {
            struct conn *c = &conns[live[k]];
            if (now >= c->deadline) {
                close_conn(c); /* moves another connection into position k */
                continue;
            }
            if (c->deadline < earliest) earliest = c->deadline;
            s = &subscriptions[n++];
            s->userdata = (uint64_t)c->generation << 32 | live[k];
            s->u.tag = c->state == READING ? __WASI_EVENTTYPE_FD_READ : __WASI_EVENTTYPE_FD_WRITE;
            /* fd_read and fd_write subscriptions share one layout */
            s->u.u.fd_read.file_descriptor = (__wasi_fd_t)c->fd;
            k++;
        }
        if (earliest != UINT64_MAX) {
            s = &subscriptions[n++];
            memset(s, 0, sizeof *s);
            s->userdata = TIMER_TAG;
            s->u.tag = __WASI_EVENTTYPE_CLOCK;
            s->u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
            s->u.u.clock.timeout = earliest - now;
        }
        __wasi_size_t ready = 0;
        __wasi_errno_t err = __wasi_poll_oneoff(subscriptions, events, n, &ready);
        if (err == __WASI_ERRNO_NOMEM && shed_idle_connections()) continue;
        if (err) {
            fprintf(stderr, "http_server: poll_oneoff: WASI errno %d\n", err);
            return 1;
        }
        now = monotonic_now();
        bool accept_ready = false;
        for (__wasi_size_t k = 0; k < ready; k++) {
            const __wasi_event_t *e = &events[k];
            if (e->userdata == TIMER_TAG) continue;
            if (e->userdata == LISTENER_TAG) {
                accept_ready = true;
                continue;
            }
            struct conn *c = &conns[(uint32_t)e->userdata];
            if (c->fd < 0 || c->generation != (uint32_t)(e->userdata >> 32)) continue;
            if (e->error) {
                close_conn(c);
            } else if (e->type == __WASI_EVENTTYPE_FD_READ && c->state == READING) {
                read_some(c, now);
            } else if (e->type == __WASI_EVENTTYPE_FD_WRITE && c->state == WRITING) {
                write_some(c, now);
            }
        }
        /* after the open connections, so their events above still name the slots they polled */
        if (accept_ready) accept_connections(now);
    }
}
