/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsfmt_rare.c - the obsolete and rare types dig (BIND 9.18) still presents: A6, HIP, NXT,
 * RKEY and DSYNC, as `dig +short` prints them. dig's own checks on the wire form are kept: an
 * A6 prefix length over 128 or with bits set in the suffix it covers, a HIP without a HIT or a
 * key, an NXT bitmap longer than 16 octets, of the extended form or ending in a zero octet, an
 * RKEY with flags set. Names may be compressed, as dig takes them. And the key types' common
 * printer, which knows the name a PRIVATEDNS key starts with. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "dns/dnsfmt_int.h"
#include "dns/dnsfmt.h"
#include "dns/dnsname.h"

/* A6 (RFC 2874): "PREFIXLEN SUFFIX NAME". The suffix is the address bits past the prefix, in
 * as few octets as hold them; a prefix of 0 has no name and one of 128 no suffix (dig still
 * prints the space before it). */
static int put_a6(struct sbuf *s, const uint8_t *pkt, size_t len, size_t off, size_t rdend,
                  char err[NK_ERRLEN])
{
    const uint8_t *p = pkt + off;
    size_t n = rdend - off;
    if (n < 1 || p[0] > 128)
        return FMT_BAD;
    unsigned plen = p[0];
    sb_printf(s, "%u ", plen);
    off++;
    if (plen != 128) {
        size_t skip = plen / 8, octets = 16 - skip;
        uint8_t mask = (uint8_t)(0xff >> (plen % 8)), addr[16] = {0};
        char ip[INET6_ADDRSTRLEN];
        if (n - 1 < octets || (p[1] & (uint8_t)~mask))
            return FMT_BAD; /* cut short, or prefix bits in the suffix */
        memcpy(addr + skip, p + 1, octets);
        sb_printf(s, "%s", inet_ntop(AF_INET6, addr, ip, sizeof(ip)));
        off += octets;
    }
    if (plen == 0)
        return off == rdend ? FMT_OK : FMT_BAD;
    sb_putc(s, ' ');
    if (fmt_name(s, pkt, len, &off, rdend, err) < 0)
        return FMT_ERR;
    return off == rdend ? FMT_OK : FMT_BAD;
}

/* HIP (RFC 8005): "ALG HIT KEY [RENDEZVOUS...]", the HIT in hex and the key in base64, each in
 * one piece. */
static int put_hip(struct sbuf *s, const uint8_t *pkt, size_t len, size_t off, size_t rdend,
                   char err[NK_ERRLEN])
{
    const uint8_t *p = pkt + off;
    size_t n = rdend - off;
    if (n < 4)
        return FMT_BAD;
    size_t hit = p[0], key = get16(p + 2);
    if (hit == 0 || key == 0 || n - 4 < hit + key)
        return FMT_BAD;
    sb_printf(s, "%u ", p[1]);
    for (size_t i = 0; i < hit; i++)
        sb_printf(s, "%02X", p[4 + i]);
    sb_putc(s, ' ');
    fmt_base64(s, p + 4 + hit, key, 0);
    off += 4 + hit + key;
    while (off < rdend) {
        sb_putc(s, ' ');
        if (fmt_name(s, pkt, len, &off, rdend, err) < 0)
            return FMT_ERR;
    }
    return FMT_OK;
}

/* NXT (RFC 2535): "NEXT TYPE...". The bitmap covers types 1-127 from its first bit (type 0,
 * which says "another format", must be clear); dig names the types it knows and gives the
 * number of the others. */
static int put_nxt(struct sbuf *s, const uint8_t *pkt, size_t len, size_t off, size_t rdend,
                   char err[NK_ERRLEN])
{
    char tb[DNS_TYPE_BUF];
    if (fmt_name(s, pkt, len, &off, rdend, err) < 0)
        return FMT_ERR;
    const uint8_t *p = pkt + off;
    size_t n = rdend - off;
    if (n > 0 && ((p[0] & 0x80) || n > 16 || p[n - 1] == 0))
        return FMT_BAD;
    for (size_t i = 0; i < n; i++)
        for (unsigned b = 0; b < 8; b++)
            if (p[i] & (0x80u >> b)) {
                int t = (int)(i * 8 + b);
                const char *name = dns_type_name(t, tb);
                if (name == tb) /* a type without a name */
                    sb_printf(s, " %d", t);
                else
                    sb_printf(s, " %s", name);
            }
    return FMT_OK;
}

/* A name at off, valid (dns_name_read's checks) and inside the record, in uncompressed wire form
 * in w (*wn bytes); *off moves past it. 0, or -1 with the reason in err. */
static int name_wire(const uint8_t *pkt, size_t len, size_t *off, size_t rdend, uint8_t w[255],
                     size_t *wn, char err[NK_ERRLEN])
{
    char text[DNS_PNAME_MAX];
    size_t pos = *off, end = *off, n = 0;
    if (dns_name_read(pkt, len, &end, text, sizeof(text), err) < 0)
        return -1;
    if (end > rdend)
        return nk_seterr(err, "malformed answer: name runs past its record");
    /* Valid, so every label and pointer below is inside the packet and the labels fit in w. */
    while (pkt[pos] != 0) {
        if ((pkt[pos] & 0xc0) == 0xc0) {
            pos = ((size_t)(pkt[pos] & 0x3f) << 8) | pkt[pos + 1];
            continue;
        }
        memcpy(w + n, pkt + pos, (size_t)pkt[pos] + 1);
        n += (size_t)pkt[pos] + 1;
        pos += (size_t)pkt[pos] + 1;
    }
    w[n++] = 0;
    *wn = n;
    *off = end;
    return 0;
}

int fmt_key(struct sbuf *s, const uint8_t *pkt, size_t len, size_t off, size_t rdend,
            char err[NK_ERRLEN])
{
    const uint8_t *p = pkt + off;
    uint8_t w[255];
    size_t wn = 0;
    if (rdend - off <= 4)
        return FMT_BAD; /* a key always */
    sb_printf(s, "%u %u %u ", get16(p), p[2], p[3]);
    off += 4;
    if (p[3] == 253 && name_wire(pkt, len, &off, rdend, w, &wn, err) < 0)
        return FMT_ERR;
    fmt_base64_2(s, w, wn, pkt + off, rdend - off, CHUNK);
    return FMT_OK;
}

/* DSYNC: "TYPE SCHEME PORT TARGET", scheme 1 by its name. */
static int put_dsync(struct sbuf *s, const uint8_t *pkt, size_t len, size_t off, size_t rdend,
                     char err[NK_ERRLEN])
{
    char tb[DNS_TYPE_BUF];
    const uint8_t *p = pkt + off;
    if (rdend - off < 6)
        return FMT_BAD;
    sb_printf(s, "%s ", dns_type_name(get16(p), tb));
    if (p[2] == 1)
        sb_printf(s, "NOTIFY ");
    else
        sb_printf(s, "%u ", p[2]);
    sb_printf(s, "%u ", get16(p + 3));
    off += 5;
    if (fmt_name(s, pkt, len, &off, rdend, err) < 0)
        return FMT_ERR;
    return off == rdend ? FMT_OK : FMT_BAD;
}

int dnsfmt_rare(struct sbuf *s, unsigned type, const uint8_t *pkt, size_t len, size_t off,
                size_t rdend, char err[NK_ERRLEN])
{
    switch (type) {
    case DNS_T_A6: return put_a6(s, pkt, len, off, rdend, err);
    case DNS_T_HIP: return put_hip(s, pkt, len, off, rdend, err);
    case DNS_T_NXT: return put_nxt(s, pkt, len, off, rdend, err);
    case DNS_T_RKEY: /* DNSKEY's form, but no flags are defined: any set is bad */
        return rdend - off >= 2 && get16(pkt + off) ? FMT_BAD
                                                    : fmt_key(s, pkt, len, off, rdend, err);
    case DNS_T_DSYNC: return put_dsync(s, pkt, len, off, rdend, err);
    default: return FMT_RAW;
    }
}
