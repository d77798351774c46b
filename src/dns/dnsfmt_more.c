/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsfmt_more.c - the other types dig (BIND 9.18) prints in a presentation form of their own:
 * LOC, CERT, ZONEMD, EUI48, EUI64, IPSECKEY, APL, those of a number and a name or two names
 * (AFSDB, RT, KX, LP, RP, MINFO, TALINK, PX), of a number and an identifier (NID, L32, L64) and
 * of strings (X25, ISDN, GPOS), and the rarer WKS, NSAP, EID, NIMLOC, ATMA, SINK, AMTRELAY, DOA.
 * What dig
 * rejects as malformed is rejected here; what it prints in RFC 3597 form (a LOC of another
 * version, an APL of an unknown address family) is printed so. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "dns/dnsfmt_int.h"
#include "dns/dnsname.h"

/* A LOC size or precision byte: mantissa and power of ten, in centimetres (RFC 1876). Zero,
 * or a mantissa 1-9 and an exponent 0-9. */
static bool loc_prec_ok(uint8_t v)
{
    return v == 0 || ((v >> 4) >= 1 && (v >> 4) <= 9 && (v & 15) <= 9);
}

static void loc_prec(struct sbuf *s, uint8_t v)
{
    static const uint32_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    unsigned mant = v >> 4, exp = v & 15;
    if (exp >= 2)
        sb_printf(s, " %um", mant * pow10[exp - 2]);
    else
        sb_printf(s, " 0.%02um", mant * pow10[exp]);
}

/* A latitude or longitude in thousandths of an arc second from 2^31: "D M S.mmm H". */
static void loc_angle(struct sbuf *s, uint32_t v, char pos, char neg)
{
    uint32_t x = v >= 0x80000000u ? v - 0x80000000u : 0x80000000u - v;
    sb_printf(s, "%u %u %u.%03u %c", x / 3600000, x / 60000 % 60, x / 1000 % 60, x % 1000,
              v >= 0x80000000u ? pos : neg);
}

/* LOC: "LAT LON ALTm SIZEm HPm VPm". */
static int put_loc(struct sbuf *s, const uint8_t *p, size_t n)
{
    if (n < 1)
        return FMT_BAD;
    if (p[0] != 0)
        return FMT_RAW; /* only version 0 has a presentation */
    if (n != 16 || !loc_prec_ok(p[1]) || !loc_prec_ok(p[2]) || !loc_prec_ok(p[3]))
        return FMT_BAD;
    uint32_t lat = get32(p + 4), lon = get32(p + 8), alt = get32(p + 12);
    if (lat < 0x80000000u - 90u * 3600000u || lat > 0x80000000u + 90u * 3600000u ||
        lon < 0x80000000u - 180u * 3600000u || lon > 0x80000000u + 180u * 3600000u)
        return FMT_BAD;
    loc_angle(s, lat, 'N', 'S');
    sb_putc(s, ' ');
    loc_angle(s, lon, 'E', 'W');
    /* Altitude in centimetres above 100 km below the WGS 84 spheroid. */
    if (alt < 10000000u)
        sb_printf(s, " -%u.%02um", (10000000u - alt) / 100, (10000000u - alt) % 100);
    else
        sb_printf(s, " %u.%02um", (alt - 10000000u) / 100, (alt - 10000000u) % 100);
    loc_prec(s, p[1]);
    loc_prec(s, p[2]);
    loc_prec(s, p[3]);
    return FMT_OK;
}

/* A DNSSEC algorithm number by dig's name for it, or the number. */
static void put_secalg(struct sbuf *s, unsigned alg)
{
    static const char *const names[] = {
        [1] = "RSAMD5",
        [2] = "DH",
        [3] = "DSA",
        [5] = "RSASHA1",
        [6] = "NSEC3DSA",
        [7] = "NSEC3RSASHA1",
        [8] = "RSASHA256",
        [10] = "RSASHA512",
        [12] = "ECCGOST",
        [13] = "ECDSAP256SHA256",
        [14] = "ECDSAP384SHA384",
        [15] = "ED25519",
        [16] = "ED448",
    };
    if (alg < sizeof(names) / sizeof(names[0]) && names[alg])
        sb_printf(s, "%s", names[alg]);
    else if (alg >= 252 && alg <= 254)
        sb_printf(s, "%s", alg == 252 ? "INDIRECT" : alg == 253 ? "PRIVATEDNS" : "PRIVATEOID");
    else
        sb_printf(s, "%u", alg);
}

/* CERT (RFC 4398): "TYPE TAG ALGORITHM CERTIFICATE", the type and algorithm by name. */
static int put_cert(struct sbuf *s, const uint8_t *p, size_t n)
{
    static const char *const types[] = {NULL,    "PKIX", "SPKI",   "PGP",    "IPKIX",
                                        "ISPKI", "IPGP", "ACPKIX", "IACPKIX"};
    if (n < 6)
        return FMT_BAD; /* a certificate is never empty */
    unsigned t = get16(p);
    if (t < sizeof(types) / sizeof(types[0]) && types[t])
        sb_printf(s, "%s ", types[t]);
    else if (t == 253 || t == 254)
        sb_printf(s, "%s ", t == 253 ? "URI" : "OID");
    else
        sb_printf(s, "%u ", t);
    sb_printf(s, "%u ", get16(p + 2));
    put_secalg(s, p[4]);
    sb_putc(s, ' ');
    fmt_base64(s, p + 5, n - 5, CHUNK);
    return FMT_OK;
}

/* ZONEMD (RFC 8976): "SERIAL SCHEME ALGORITHM DIGEST". A SHA-384 digest has 48 bytes, a
 * SHA-512 one 64, any other at least 12. */
static int put_zonemd(struct sbuf *s, const uint8_t *p, size_t n)
{
    if (n < 6)
        return FMT_BAD;
    size_t d = n - 6;
    if ((p[5] == 1 && d != 48) || (p[5] == 2 && d != 64) || d < 12)
        return FMT_BAD;
    sb_printf(s, "%u %u %u ", get32(p), p[4], p[5]);
    fmt_hex(s, p + 6, d);
    return FMT_OK;
}

/* EUI48 and EUI64 (RFC 7043): lowercase hex pairs joined by dashes. */
static int put_eui(struct sbuf *s, const uint8_t *p, size_t n, size_t want)
{
    if (n != want)
        return FMT_BAD;
    for (size_t i = 0; i < n; i++)
        sb_printf(s, "%s%02x", i ? "-" : "", p[i]);
    return FMT_OK;
}

/* IPSECKEY (RFC 4025): "PRECEDENCE GATEWAY-TYPE ALGORITHM GATEWAY KEY". */
static int put_ipseckey(struct sbuf *s, const uint8_t *pkt, size_t len, size_t off, size_t rdend,
                        char err[NK_ERRLEN])
{
    const uint8_t *p = pkt + off;
    char ip[INET6_ADDRSTRLEN];
    if (rdend - off < 3)
        return FMT_BAD;
    sb_printf(s, "%u %u %u ", p[0], p[1], p[2]);
    unsigned gw = p[1];
    off += 3;
    switch (gw) {
    case 0: sb_putc(s, '.'); break;
    case 1:
    case 2: {
        size_t w = gw == 1 ? 4 : 16;
        if (rdend - off < w)
            return FMT_BAD;
        sb_printf(s, "%s", inet_ntop(gw == 1 ? AF_INET : AF_INET6, pkt + off, ip, sizeof(ip)));
        off += w;
        break;
    }
    case 3:
        if (fmt_name(s, pkt, len, &off, rdend, err) < 0)
            return FMT_ERR;
        break;
    default: return FMT_BAD;
    }
    if (off == rdend)
        return FMT_BAD; /* dig wants a key */
    sb_putc(s, ' ');
    fmt_base64(s, pkt + off, rdend - off, CHUNK);
    return FMT_OK;
}

/* APL (RFC 3123): items "[!]FAMILY:ADDRESS/PREFIX", space separated. The address bytes are
 * the significant ones only: at most the family's address length, never a zero last. */
static int put_apl(struct sbuf *s, const uint8_t *p, size_t n)
{
    char ip[INET6_ADDRSTRLEN];
    bool known = true;
    for (size_t i = 0; i < n;) { /* check the whole record first: a bad one prints nothing */
        if (n - i < 4)
            return FMT_BAD;
        unsigned fam = get16(p + i), pfx = p[i + 2], afd = p[i + 3] & 0x7f;
        if (afd > n - i - 4 || (afd && p[i + 3 + afd] == 0))
            return FMT_BAD;
        if (fam == 1 || fam == 2) {
            if (pfx > (fam == 1 ? 32u : 128u) || afd > (fam == 1 ? 4u : 16u))
                return FMT_BAD;
        } else {
            known = false;
        }
        i += 4 + afd;
    }
    if (!known)
        return FMT_RAW;
    for (size_t i = 0; i < n;) {
        unsigned fam = get16(p + i), pfx = p[i + 2], afd = p[i + 3] & 0x7f;
        uint8_t a[16] = {0};
        memcpy(a, p + i + 4, afd);
        sb_printf(s, "%s%s%u:%s/%u", i ? " " : "", p[i + 3] & 0x80 ? "!" : "", fam,
                  inet_ntop(fam == 1 ? AF_INET : AF_INET6, a, ip, sizeof(ip)), pfx);
        i += 4 + afd;
    }
    return FMT_OK;
}

/* X25 (one string of at least 4 digits), ISDN (an address and an optional subaddress) and
 * GPOS (longitude, latitude, altitude): strings, as many as the type has. */
static int put_strings(struct sbuf *s, unsigned type, const uint8_t *p, size_t n)
{
    const uint8_t *q = p, *end = p + n;
    int k = 0;
    if (type == DNS_T_X25) {
        if (n < 5 || p[0] != n - 1)
            return FMT_BAD;
        for (size_t i = 1; i < n; i++)
            if (p[i] < '0' || p[i] > '9')
                return FMT_BAD;
    }
    for (; q < end; k++) {
        if (k)
            sb_putc(s, ' ');
        if (fmt_string(s, &q, end) < 0)
            return FMT_BAD;
    }
    if (type == DNS_T_GPOS)
        return k == 3 ? FMT_OK : FMT_BAD;
    return k >= 1 && k <= (type == DNS_T_ISDN ? 2 : 1) ? FMT_OK : FMT_BAD;
}

/* Bytes as lowercase hex in one piece (NSAP, ATMA). */
static void put_lowhex(struct sbuf *s, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        sb_putc(s, hex[p[i] >> 4]);
        sb_putc(s, hex[p[i] & 15]);
    }
}

/* WKS (RFC 1035): "ADDRESS PROTOCOL PORT...", the ports from the bitmap; its last byte is never
 * zero, and it covers ports up to 65535 at most. */
static int put_wks(struct sbuf *s, const uint8_t *p, size_t n)
{
    if (n < 5 || n - 5 > 8192 || (n > 5 && p[n - 1] == 0))
        return FMT_BAD;
    fmt_ipv4(s, p);
    sb_printf(s, " %u", p[4]);
    for (size_t i = 5; i < n; i++)
        for (unsigned b = 0; b < 8; b++)
            if (p[i] & (0x80u >> b))
                sb_printf(s, " %zu", (i - 5) * 8 + b);
    return FMT_OK;
}

/* ATMA (ATM Forum): an AESA as lowercase hex, or E.164 digits after '+'; others RFC 3597. */
static int put_atma(struct sbuf *s, const uint8_t *p, size_t n)
{
    if (n < 2)
        return FMT_BAD;
    if (p[0] == 0) {
        put_lowhex(s, p + 1, n - 1);
        return FMT_OK;
    }
    if (p[0] != 1)
        return FMT_RAW;
    sb_putc(s, '+');
    for (size_t i = 1; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return FMT_BAD;
        sb_putc(s, (char)p[i]);
    }
    return FMT_OK;
}

/* AMTRELAY (RFC 8777): "PRECEDENCE D TYPE RELAY"; a relay type dig does not know is RFC 3597. */
static int put_amtrelay(struct sbuf *s, const uint8_t *pkt, size_t len, size_t off, size_t rdend,
                        char err[NK_ERRLEN])
{
    const uint8_t *p = pkt + off;
    char ip[INET6_ADDRSTRLEN];
    size_t n = rdend - off;
    if (n < 2)
        return FMT_BAD;
    unsigned t = p[1] & 0x7f;
    if (t > 3)
        return FMT_RAW;
    sb_printf(s, "%u %u %u ", p[0], p[1] >> 7, t);
    if (t == 0) {
        sb_putc(s, '.');
        return n == 2 ? FMT_OK : FMT_BAD;
    }
    if (t == 3) {
        off += 2;
        if (fmt_name(s, pkt, len, &off, rdend, err) < 0)
            return FMT_ERR;
        return off == rdend ? FMT_OK : FMT_BAD;
    }
    if (n - 2 != (t == 1 ? 4u : 16u))
        return FMT_BAD;
    sb_printf(s, "%s", inet_ntop(t == 1 ? AF_INET : AF_INET6, p + 2, ip, sizeof(ip)));
    return FMT_OK;
}

int dnsfmt_more(struct sbuf *s, unsigned type, const uint8_t *pkt, size_t len, size_t off,
                size_t rdend, char err[NK_ERRLEN])
{
    const uint8_t *p = pkt + off;
    size_t n = rdend - off;
    switch (type) {
    case DNS_T_LOC: return put_loc(s, p, n);
    case DNS_T_CERT: return put_cert(s, p, n);
    case DNS_T_ZONEMD: return put_zonemd(s, p, n);
    case DNS_T_EUI48: return put_eui(s, p, n, 6);
    case DNS_T_EUI64: return put_eui(s, p, n, 8);
    case DNS_T_IPSECKEY: return put_ipseckey(s, pkt, len, off, rdend, err);
    case DNS_T_APL: return put_apl(s, p, n);
    case DNS_T_X25:
    case DNS_T_ISDN:
    case DNS_T_GPOS: return put_strings(s, type, p, n);
    case DNS_T_WKS: return put_wks(s, p, n);
    case DNS_T_ATMA: return put_atma(s, p, n);
    case DNS_T_AMTRELAY: return put_amtrelay(s, pkt, len, off, rdend, err);
    case DNS_T_DOA: { /* enterprise, type, location, "media type", data in one piece or "-" */
        const uint8_t *q = p + 9;
        if (n < 10)
            return FMT_BAD;
        sb_printf(s, "%u %u %u ", get32(p), get32(p + 4), p[8]);
        if (fmt_string(s, &q, p + n) < 0)
            return FMT_BAD;
        sb_putc(s, ' ');
        if (q == p + n)
            sb_putc(s, '-');
        fmt_base64(s, q, (size_t)(p + n - q), 0);
        return FMT_OK;
    }
    case DNS_T_NSAP:
        if (n == 0)
            return FMT_BAD;
        sb_printf(s, "0x");
        put_lowhex(s, p, n);
        return FMT_OK;
    case DNS_T_EID:
    case DNS_T_NIMLOC:
        if (n == 0)
            return FMT_BAD;
        fmt_hex(s, p, n);
        return FMT_OK;
    case DNS_T_SINK: /* meaning, coding, subcoding, data */
        if (n < 3)
            return FMT_BAD;
        sb_printf(s, "%u %u %u", p[0], p[1], p[2]);
        if (n > 3) {
            sb_putc(s, ' ');
            fmt_base64(s, p + 3, n - 3, CHUNK);
        }
        return FMT_OK;
    case DNS_T_PX: /* a preference and two names */
        if (n < 2)
            return FMT_BAD;
        sb_printf(s, "%u ", get16(p));
        off += 2;
        /* fall through */
    case DNS_T_RP:
    case DNS_T_MINFO:
    case DNS_T_TALINK: /* two names */
        if (fmt_name(s, pkt, len, &off, rdend, err) < 0)
            return FMT_ERR;
        sb_putc(s, ' ');
        if (fmt_name(s, pkt, len, &off, rdend, err) < 0)
            return FMT_ERR;
        return off == rdend ? FMT_OK : FMT_BAD;
    case DNS_T_AFSDB:
    case DNS_T_RT:
    case DNS_T_KX:
    case DNS_T_LP: /* a number and a name */
        if (n < 3)
            return FMT_BAD;
        sb_printf(s, "%u ", get16(p));
        off += 2;
        if (fmt_name(s, pkt, len, &off, rdend, err) < 0)
            return FMT_ERR;
        return off == rdend ? FMT_OK : FMT_BAD;
    case DNS_T_NID:
    case DNS_T_L64: /* a preference and 64 bits as four groups of hex */
        if (n != 10)
            return FMT_BAD;
        sb_printf(s, "%u %x:%x:%x:%x", get16(p), get16(p + 2), get16(p + 4), get16(p + 6),
                  get16(p + 8));
        return FMT_OK;
    case DNS_T_L32:
        if (n != 6)
            return FMT_BAD;
        sb_printf(s, "%u ", get16(p));
        fmt_ipv4(s, p + 2);
        return FMT_OK;
    default: return FMT_RAW;
    }
}
