/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsfmt_int.h - inside the answer formatter: the output buffer and the field printers that
 * dnsfmt.c (the walk and the common types), dnsfmt_sec.c (DNSSEC types), dnsfmt_more.c (the
 * other types dig knows) and dnsfmt_rare.c (the obsolete and rare ones) share. Not for use
 * outside src/dns/dnsfmt*.c. */
#ifndef NK_DNSFMT_INT_H
#define NK_DNSFMT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/nk.h"

/* dig prints long hex and base64 fields in chunks of this many characters, space separated. */
#define CHUNK 56

/* What a type's printer says about the record data. */
enum {
    FMT_ERR = -1, /* malformed, the reason already in err */
    FMT_OK = 0,   /* printed */
    FMT_BAD = 1,  /* malformed: the caller words the message */
    FMT_RAW = 2,  /* a form dig has no presentation for: print it as RFC 3597 */
};

/* A growing string in a caller's buffer; overflow is remembered, not written past. */
struct sbuf {
    char *p;    /* the buffer */
    size_t len; /* its size */
    size_t n;   /* characters written (NUL kept after them) */
    bool over;  /* something did not fit */
};

static inline void sb_init(struct sbuf *s, char *p, size_t len)
{
    s->p = p;
    s->len = len;
    s->n = 0;
    s->over = len == 0;
    if (len)
        p[0] = '\0';
}

static inline void sb_putc(struct sbuf *s, char c)
{
    if (s->n + 1 >= s->len) {
        s->over = true;
        return;
    }
    s->p[s->n++] = c;
    s->p[s->n] = '\0';
}

/* Forget what was written (to print the record again in another form). */
static inline void sb_reset(struct sbuf *s)
{
    sb_init(s, s->p, s->len);
}

static inline uint16_t get16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

void sb_printf(struct sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Bytes as uppercase hex, in chunks of CHUNK characters as dig prints them. */
void fmt_hex(struct sbuf *s, const uint8_t *p, size_t n);

/* The bytes a[0..na) then b[0..nb) as one base64 text, in chunks of `chunk` characters (0: one
 * piece). */
void fmt_base64_2(struct sbuf *s, const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
                  size_t chunk);

/* Bytes as base64, in chunks of `chunk` characters (0: one piece). */
static inline void fmt_base64(struct sbuf *s, const uint8_t *p, size_t n, size_t chunk)
{
    fmt_base64_2(s, p, n, NULL, 0, chunk);
}

/* An IPv4 address in dotted decimal. */
void fmt_ipv4(struct sbuf *s, const uint8_t *p);

/* A domain name at *off inside record data ending at rdend (compression pointers may point
 * anywhere before it); *off moves past it. 0, or -1 with the reason in err. */
int fmt_name(struct sbuf *s, const uint8_t *pkt, size_t len, size_t *off, size_t rdend,
             char err[NK_ERRLEN]);

/* A <character-string> at *p (within end), quoted; *p moves past it. 0, or -1 if cut short. */
int fmt_string(struct sbuf *s, const uint8_t **p, const uint8_t *end);

/* RFC 3597: "\# LEN HEX". */
void fmt_unknown(struct sbuf *s, const uint8_t *p, size_t n);

/* The DNSSEC types: RRSIG (and SIG), NSEC, NSEC3, NSEC3PARAM, CSYNC (a type bitmap too). A FMT_
 * value; type is the record's type, its data pkt[off..rdend). */
int dnsfmt_sec(struct sbuf *s, unsigned type, const uint8_t *pkt, size_t len, size_t off,
               size_t rdend, char err[NK_ERRLEN]);

/* LOC, CERT, ZONEMD, EUI48, EUI64, RP, MINFO, TALINK, PX, AFSDB, RT, KX, LP, IPSECKEY, APL,
 * NID, L32, L64, X25, ISDN, GPOS, WKS, NSAP, EID, NIMLOC, ATMA, SINK, AMTRELAY and DOA. A
 * FMT_ value. */
int dnsfmt_more(struct sbuf *s, unsigned type, const uint8_t *pkt, size_t len, size_t off,
                size_t rdend, char err[NK_ERRLEN]);

/* The data of a key (KEY, DNSKEY, CDNSKEY, RKEY) pkt[off..rdend): "FLAGS PROTOCOL ALG KEY".
 * A key of algorithm 253 (PRIVATEDNS) starts with a name, which dig prints uncompressed. A FMT_
 * value. */
int fmt_key(struct sbuf *s, const uint8_t *pkt, size_t len, size_t off, size_t rdend,
            char err[NK_ERRLEN]);

/* A6, HIP, NXT, RKEY and DSYNC. A FMT_ value. */
int dnsfmt_rare(struct sbuf *s, unsigned type, const uint8_t *pkt, size_t len, size_t off,
                size_t rdend, char err[NK_ERRLEN]);

#endif
