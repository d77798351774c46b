/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsfmt_sec.c - the DNSSEC records (RRSIG and the older SIG, NSEC, NSEC3, NSEC3PARAM) and CSYNC,
 * whose type bitmap is NSEC's, as `dig +short` (BIND 9.18) prints them. dig rejects the same
 * malformed data as here: a bitmap window out of order, empty, longer than 32 octets or ending in a
 * zero octet; an RRSIG without a signature; an NSEC3 without a hash. */
#include <stdio.h>
#include <time.h>

#include "dns/dnsfmt_int.h"
#include "dns/dnsname.h"

/* A type bitmap (RFC 4034 4.1.2), p[0..n): " NAME" for each type in it. An empty one is
 * allowed (NSEC3 of an empty non-terminal, CSYNC) or not (NSEC always has its own types). */
static int put_bitmap(struct sbuf *s, const uint8_t *p, size_t n, bool allow_empty)
{
    char tb[DNS_TYPE_BUF];
    int last = -1;
    if (n == 0)
        return allow_empty ? FMT_OK : FMT_BAD;
    for (size_t i = 0; i < n;) {
        if (n - i < 2)
            return FMT_BAD;
        unsigned win = p[i], wl = p[i + 1];
        if ((int)win <= last || wl == 0 || wl > 32 || wl > n - i - 2 || p[i + 1 + wl] == 0)
            return FMT_BAD;
        last = (int)win;
        for (unsigned j = 0; j < wl; j++)
            for (unsigned b = 0; b < 8; b++)
                if (p[i + 2 + j] & (0x80u >> b)) {
                    sb_putc(s, ' ');
                    sb_printf(s, "%s", dns_type_name((int)(win * 256 + j * 8 + b), tb));
                }
        i += 2 + wl;
    }
    return FMT_OK;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian, days may be negative). */
static void civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* An RRSIG time (RFC 4034 3.2) as YYYYMMDDHHMMSS: the 32-bit value is serial arithmetic, so
 * it names the moment within 68 years of now, as dig reads it. */
static void put_time(struct sbuf *s, uint32_t v)
{
    int64_t now = (int64_t)time(NULL);
    int64_t t = now + (int32_t)(v - (uint32_t)now);
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400, y;
    unsigned m, d;
    civil(days, &y, &m, &d);
    sb_printf(s, "%04lld%02u%02u%02u%02u%02u", (long long)y, m, d, (unsigned)(secs / 3600),
              (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
}

/* RRSIG: "TYPE ALG LABELS TTL EXPIRATION INCEPTION TAG SIGNER SIGNATURE". */
static int put_rrsig(struct sbuf *s, const uint8_t *pkt, size_t len, size_t off, size_t rdend,
                     char err[NK_ERRLEN])
{
    char tb[DNS_TYPE_BUF];
    const uint8_t *p = pkt + off;
    if (rdend - off < 18)
        return FMT_BAD;
    sb_printf(s, "%s %u %u %u ", dns_type_name(get16(p), tb), p[2], p[3], get32(p + 4));
    put_time(s, get32(p + 8));
    sb_putc(s, ' ');
    put_time(s, get32(p + 12));
    sb_printf(s, " %u ", get16(p + 16));
    off += 18;
    if (fmt_name(s, pkt, len, &off, rdend, err) < 0)
        return FMT_ERR;
    if (off == rdend)
        return FMT_BAD; /* no signature */
    sb_putc(s, ' ');
    fmt_base64(s, pkt + off, rdend - off, CHUNK);
    return FMT_OK;
}

/* Bytes as base32hex (RFC 4648), uppercase, without padding: NSEC3's next hashed owner. */
static void put_base32hex(struct sbuf *s, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
    uint32_t acc = 0;
    unsigned bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | p[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            sb_putc(s, digits[(acc >> bits) & 31]);
        }
    }
    if (bits)
        sb_putc(s, digits[(acc << (5 - bits)) & 31]);
}

/* A salt: uppercase hex in one piece, "-" when empty. */
static void put_salt(struct sbuf *s, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    if (n == 0)
        sb_putc(s, '-');
    for (size_t i = 0; i < n; i++) {
        sb_putc(s, hex[p[i] >> 4]);
        sb_putc(s, hex[p[i] & 15]);
    }
}

/* NSEC3 "ALG FLAGS ITERATIONS SALT HASH TYPES..." and NSEC3PARAM (the first four). */
static int put_nsec3(struct sbuf *s, const uint8_t *p, size_t n, bool param)
{
    if (n < 5 || (size_t)p[4] > n - 5)
        return FMT_BAD;
    size_t salt = p[4], i = 5 + salt;
    sb_printf(s, "%u %u %u ", p[0], p[1], get16(p + 2));
    put_salt(s, p + 5, salt);
    if (param)
        return i == n ? FMT_OK : FMT_BAD;
    if (i >= n || p[i] == 0 || (size_t)p[i] > n - i - 1)
        return FMT_BAD;
    sb_putc(s, ' ');
    put_base32hex(s, p + i + 1, p[i]);
    i += 1 + (size_t)p[i];
    return put_bitmap(s, p + i, n - i, true);
}

int dnsfmt_sec(struct sbuf *s, unsigned type, const uint8_t *pkt, size_t len, size_t off,
               size_t rdend, char err[NK_ERRLEN])
{
    const uint8_t *p = pkt + off;
    size_t n = rdend - off;
    switch (type) {
    case DNS_T_RRSIG:
    case DNS_T_SIG: return put_rrsig(s, pkt, len, off, rdend, err);
    case DNS_T_NSEC:
        if (fmt_name(s, pkt, len, &off, rdend, err) < 0)
            return FMT_ERR;
        return put_bitmap(s, pkt + off, rdend - off, false);
    case DNS_T_NSEC3: return put_nsec3(s, p, n, false);
    case DNS_T_NSEC3PARAM: return put_nsec3(s, p, n, true);
    case DNS_T_CSYNC:
        if (n < 6)
            return FMT_BAD;
        sb_printf(s, "%u %u", get32(p), get16(p + 4));
        return put_bitmap(s, p + 6, n - 6, true);
    default: return FMT_RAW;
    }
}
