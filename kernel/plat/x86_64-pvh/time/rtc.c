/* The MC146818 CMOS real-time clock, read once at boot for the wall-clock base. */
#include "pvh/clock.h"
#include "pvh/io.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define NMI_DISABLE 0x80
enum {
    RTC_SECONDS = 0x00,
    RTC_MINUTES = 0x02,
    RTC_HOURS = 0x04,
    RTC_DAY = 0x07,
    RTC_MONTH = 0x08,
    RTC_YEAR = 0x09,
    RTC_STATUS_A = 0x0a,
    RTC_STATUS_B = 0x0b,
    RTC_CENTURY = 0x32
};
#define STATUS_A_UPDATING 0x80
#define STATUS_B_BINARY 0x04
#define STATUS_B_24H 0x02

static uint8_t cmos(uint8_t reg) {
    outb(CMOS_INDEX, NMI_DISABLE | reg);
    return inb(CMOS_DATA);
}

static unsigned from_bcd(uint8_t v) { return (v & 0x0f) + (v >> 4) * 10; }

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

struct rtc_time {
    uint8_t sec, min, hour, day, month, year, century;
};

static struct rtc_time read_once(void) {
    while (cmos(RTC_STATUS_A) & STATUS_A_UPDATING) __builtin_ia32_pause();
    return (struct rtc_time){cmos(RTC_SECONDS), cmos(RTC_MINUTES), cmos(RTC_HOURS),  cmos(RTC_DAY),
                             cmos(RTC_MONTH),   cmos(RTC_YEAR),    cmos(RTC_CENTURY)};
}

int64_t rtc_read_epoch_seconds(void) {
    if (cmos(RTC_STATUS_A) == 0xff && cmos(RTC_STATUS_B) == 0xff) return -1; /* nothing on the ports */
    /* Read until two reads agree, so an update between the registers cannot tear the value. */
    struct rtc_time a = read_once(), b;
    for (;;) {
        b = read_once();
        if (a.sec == b.sec && a.min == b.min && a.hour == b.hour && a.day == b.day && a.month == b.month &&
            a.year == b.year && a.century == b.century)
            break;
        a = b;
    }
    uint8_t status_b = cmos(RTC_STATUS_B);
    bool pm = !(status_b & STATUS_B_24H) && (b.hour & 0x80);
    b.hour &= 0x7f;
    unsigned sec = b.sec, min = b.min, hour = b.hour, day = b.day, month = b.month, year = b.year, century = b.century;
    if (!(status_b & STATUS_B_BINARY)) {
        sec = from_bcd(b.sec);
        min = from_bcd(b.min);
        hour = from_bcd(b.hour);
        day = from_bcd(b.day);
        month = from_bcd(b.month);
        year = from_bcd(b.year);
        century = from_bcd(b.century);
    }
    if (!(status_b & STATUS_B_24H)) hour = hour % 12 + (pm ? 12 : 0);
    unsigned full_year = (century >= 19 && century <= 30 ? century : 20) * 100 + year;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return -1;
    return days_from_civil(full_year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
}
