/* Names every stack answers without a DNS server (dns.h): numeric IPv4 addresses and "localhost". */
#include "dns.h"

bool dns_parse_ipv4(const char *text, uint8_t address[4]) {
    for (int part = 0; part < 4; part++) {
        if (*text < '0' || *text > '9') return false;
        uint32_t value = 0;
        int digits = 0;
        while (*text >= '0' && *text <= '9') {
            value = value * 10 + (uint32_t)(*text++ - '0');
            if (++digits > 3 || value > 255) return false;
        }
        address[part] = (uint8_t)value;
        if (part < 3 && *text++ != '.') return false;
    }
    return *text == '\0';
}

static bool is_localhost(const char *name) {
    static const char localhost[] = "localhost";
    for (size_t i = 0; i < sizeof localhost - 1; i++) {
        char c = name[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != localhost[i]) return false;
    }
    /* "localhost" and "localhost." (the fully qualified form) */
    return name[sizeof localhost - 1] == '\0' || (name[sizeof localhost - 1] == '.' && name[sizeof localhost] == '\0');
}

bool dns_answer_locally(const char *name, uint8_t address[4]) {
    if (dns_parse_ipv4(name, address)) return true;
    if (!is_localhost(name)) return false;
    address[0] = 127, address[1] = 0, address[2] = 0, address[3] = 1;
    return true;
}
