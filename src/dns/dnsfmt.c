/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsfmt.c - walk a DNS answer and print record data as `dig +short` does. Every read is
 * bounds-checked against the packet and the record's data: the input is whatever a server (or
 * a fuzzer) sent. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "dns/dnsfmt.h"
#include "dns/dnsfmt_int.h"
#include "dns/dnsname.h"

int dns_hdr_parse(const uint8_t *pkt, size_t len, struct dns_hdr *h, char err[NK_ERRLEN])
{
    if (len < 12)
        return nk_seterr(err, "malformed answer: %zu bytes, shorter than a header", len);
    h->id = get16(pkt);
    h->flags = get16(pkt + 2);
    h->rcode = h->flags & 0xf;
    h->qdcount = get16(pkt + 4);
    h->ancount = get16(pkt + 6);
    h->nscount = get16(pkt + 8);
    h->arcount = get16(pkt + 10);
    return 0;
}

void sb_printf(struct sbuf *s, const char *fmt, ...)
{
    if (s->over)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(s->p + s->n, s->len - s->n, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= s->len - s->n) {
        s->over = true;
        s->p[s->n] = '\0';
        return;
    }
    s->n += (size_t)w;
}

/* Bytes dig prints in a name as themselves: printable ASCII but for the specials below. */
static bool plain_label_char(uint8_t c)
{
    /* Bit c - 0x20 set for each special: '"' '$' '(' ')' '.' ';' '@' and backslash. */
    static const uint64_t special = (1ull << ('"' - 0x20)) | (1ull << ('$' - 0x20)) |
                                    (1ull << ('(' - 0x20)) | (1ull << (')' - 0x20)) |
                                    (1ull << ('.' - 0x20)) | (1ull << (';' - 0x20)) |
                                    (1ull << ('@' - 0x20)) | (1ull << ('\\' - 0x20));
    return c >= 0x21 && c <= 0x7e && (c >= 0x60 || !((special >> (c - 0x20)) & 1));
}

/* One label as dig prints it in a name: specials escaped with a backslash, unprintable bytes
 * as backslash and three decimal digits. */
static void put_label(struct sbuf *s, const uint8_t *p, size_t l)
{
    size_t i = 0;
    while (i < l && plain_label_char(p[i]))
        i++;
    if (i == l && s->len - s->n > l) { /* the usual label: copied as it is */
        memcpy(s->p + s->n, p, l);
        s->n += l;
        s->p[s->n] = '\0';
        return;
    }
    for (i = 0; i < l; i++) {
        uint8_t c = p[i];
        if (plain_label_char(c))
            sb_putc(s, (char)c);
        else if (c >= 0x21 && c <= 0x7e)
            sb_printf(s, "\\%c", c);
        else
            sb_printf(s, "\\%03u", c);
    }
}

int dns_name_read(const uint8_t *pkt, size_t len, size_t *off, char *out, size_t outlen,
                  char err[NK_ERRLEN])
{
    struct sbuf s;
    size_t pos = *off, end = 0, wire = 0, limit = *off;
    bool jumped = false;
    sb_init(&s, out, outlen);
    for (;;) {
        if (pos >= len)
            return nk_seterr(err, "malformed answer: name runs past the end");
        uint8_t l = pkt[pos];
        if ((l & 0xc0) == 0xc0) {
            if (pos + 1 >= len)
                return nk_seterr(err, "malformed answer: name runs past the end");
            size_t target = ((size_t)(l & 0x3f) << 8) | pkt[pos + 1];
            /* Each jump lands strictly before where the last one (or the name) started, so
             * the positions fall and no loop is possible. */
            if (target >= limit)
                return nk_seterr(err, "malformed answer: compression pointer forward");
            limit = target;
            if (!jumped)
                end = pos + 2;
            jumped = true;
            pos = target;
            continue;
        }
        if (l & 0xc0)
            return nk_seterr(err, "malformed answer: bad label type");
        if (l == 0) {
            if (!jumped)
                end = pos + 1;
            break;
        }
        wire += (size_t)l + 1;
        if (wire > 254)
            return nk_seterr(err, "malformed answer: name longer than 255 bytes");
        if (pos + 1 + l > len)
            return nk_seterr(err, "malformed answer: name runs past the end");
        put_label(&s, pkt + pos + 1, l);
        sb_putc(&s, '.');
        pos += 1 + (size_t)l;
    }
    if (s.n == 0)
        sb_putc(&s, '.');
    if (s.over)
        return nk_seterr(err, "name too long for the buffer");
    *off = end;
    return 0;
}

int dns_walk_init(struct dns_walk *w, const uint8_t *pkt, size_t len, char err[NK_ERRLEN])
{
    w->pkt = pkt;
    w->len = len;
    w->off = 0;
    w->left = 0;
    w->qname[0] = '\0';
    w->qtype = 0;
    if (dns_hdr_parse(pkt, len, &w->hdr, err) < 0)
        return -1;
    size_t off = 12;
    for (unsigned i = 0; i < w->hdr.qdcount; i++) {
        char other[DNS_PNAME_MAX];
        char *name = i == 0 ? w->qname : other;
        if (dns_name_read(pkt, len, &off, name, DNS_PNAME_MAX, err) < 0) {
            w->qname[0] = '\0';
            return -1;
        }
        if (off + 4 > len) {
            w->qname[0] = '\0';
            return nk_seterr(err, "malformed answer: question cut short");
        }
        if (i == 0)
            w->qtype = get16(pkt + off);
        off += 4;
    }
    w->off = off;
    w->left = w->hdr.ancount;
    return 0;
}

int dns_walk_next(struct dns_walk *w, struct dns_rr *rr, char err[NK_ERRLEN])
{
    if (w->left == 0)
        return 0;
    size_t off = w->off;
    if (dns_name_read(w->pkt, w->len, &off, rr->name, sizeof(rr->name), err) < 0)
        return -1;
    if (off + 10 > w->len)
        return nk_seterr(err, "malformed answer: record header cut short");
    rr->type = get16(w->pkt + off);
    rr->rclass = get16(w->pkt + off + 2);
    rr->ttl = get32(w->pkt + off + 4);
    rr->rdlen = get16(w->pkt + off + 8);
    rr->rdoff = off + 10;
    if (rr->rdoff + rr->rdlen > w->len)
        return nk_seterr(err, "malformed answer: record data cut short");
    w->off = rr->rdoff + rr->rdlen;
    w->left--;
    return 1;
}

/* A <character-string> at *p (within end): quoted, '"' and '\' escaped, others as \DDD. */
int fmt_string(struct sbuf *s, const uint8_t **p, const uint8_t *end)
{
    if (*p >= end)
        return -1;
    size_t l = **p;
    if ((size_t)(end - *p) < l + 1)
        return -1;
    const uint8_t *q = *p + 1;
    sb_putc(s, '"');
    for (size_t i = 0; i < l; i++) {
        uint8_t c = q[i];
        if (c == '"' || c == '\\')
            sb_printf(s, "\\%c", c);
        else if (c < 0x20 || c > 0x7e)
            sb_printf(s, "\\%03u", c);
        else
            sb_putc(s, (char)c);
    }
    sb_putc(s, '"');
    *p = q + l;
    return 0;
}

/* Bytes as uppercase hex, in chunks of CHUNK characters as dig prints them. */
void fmt_hex(struct sbuf *s, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        if (i && (i * 2) % CHUNK == 0)
            sb_putc(s, ' ');
        sb_putc(s, hex[p[i] >> 4]);
        sb_putc(s, hex[p[i] & 15]);
    }
}

/* The bytes a[0..na) then b[0..nb) as one base64 text, in chunks of `chunk` characters (0: one
 * piece). */
void fmt_base64_2(struct sbuf *s, const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
                  size_t chunk)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t col = 0, n = na + nb;
#define AT(i) ((i) < na ? a[i] : b[(i)-na])
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)AT(i) << 16;
        if (i + 1 < n)
            v |= (uint32_t)AT(i + 1) << 8;
        if (i + 2 < n)
            v |= AT(i + 2);
        char q[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63], i + 1 < n ? b64[(v >> 6) & 63] : '=',
                     i + 2 < n ? b64[v & 63] : '='};
        for (int k = 0; k < 4; k++) {
            if (chunk && col && col % chunk == 0)
                sb_putc(s, ' ');
            sb_putc(s, q[k]);
            col++;
        }
    }
#undef AT
}

/* An IPv4 address in dotted decimal: inet_ntop formats it through sprintf, which costs more
 * than the rest of an A answer's handling. */
void fmt_ipv4(struct sbuf *s, const uint8_t *p)
{
    char b[16], *q = b;
    for (int i = 0; i < 4; i++) {
        unsigned v = p[i];
        if (i)
            *q++ = '.';
        if (v >= 100)
            *q++ = (char)('0' + v / 100);
        if (v >= 10)
            *q++ = (char)('0' + v / 10 % 10);
        *q++ = (char)('0' + v % 10);
    }
    for (char *c = b; c < q; c++)
        sb_putc(s, *c);
}

/* A domain name inside the record's data: compressed names may point anywhere before it, but
 * the bytes in the record itself must stay inside the record. */
int fmt_name(struct sbuf *s, const uint8_t *pkt, size_t len, size_t *off, size_t rdend,
             char err[NK_ERRLEN])
{
    char name[DNS_PNAME_MAX];
    if (dns_name_read(pkt, len, off, name, sizeof(name), err) < 0)
        return -1;
    if (*off > rdend)
        return nk_seterr(err, "malformed answer: name runs past its record");
    sb_printf(s, "%s", name);
    return 0;
}

/* Bytes inside double quotes: '"' and '\' escaped, others outside printable ASCII as \DDD;
 * with comma_escape, a ',' becomes "\\," (a comma inside one item of an SVCB list). */
static void put_quoted_bytes(struct sbuf *s, const uint8_t *p, size_t n, bool comma_escape)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c == '"' || c == '\\')
            sb_printf(s, "\\%c", c);
        else if (c == ',' && comma_escape)
            sb_printf(s, "\\\\,");
        else if (c < 0x20 || c > 0x7e)
            sb_printf(s, "\\%03u", c);
        else
            sb_putc(s, (char)c);
    }
}

/* SVCB / HTTPS parameter keys (RFC 9460) dig knows by name. */
static const char *svc_key(unsigned k, char buf[16])
{
    static const char *const names[] = {"mandatory", "alpn", "no-default-alpn", "port",
                                        "ipv4hint",  "ech",  "ipv6hint"};
    if (k < sizeof(names) / sizeof(names[0]))
        return names[k];
    snprintf(buf, 16, "key%u", k);
    return buf;
}

/* One SvcParam's value after "key": 0, or -1 if it does not fit the key's format. */
static int put_svc_value(struct sbuf *s, unsigned key, const uint8_t *v, size_t n)
{
    char ip[INET6_ADDRSTRLEN], kb[16];
    switch (key) {
    case 0: /* mandatory: key numbers */
        if (n == 0 || n % 2)
            return -1;
        for (size_t i = 0; i < n; i += 2)
            sb_printf(s, "%s%s", i ? "," : "=", svc_key(get16(v + i), kb));
        return 0;
    case 1: /* alpn: length-prefixed ids, quoted, comma-joined */
        if (n == 0)
            return -1;
        sb_printf(s, "=\"");
        for (size_t i = 0; i < n;) {
            size_t l = v[i];
            if (l == 0 || i + 1 + l > n)
                return -1;
            if (i)
                sb_putc(s, ',');
            put_quoted_bytes(s, v + i + 1, l, true);
            i += 1 + l;
        }
        sb_putc(s, '"');
        return 0;
    case 2: /* no-default-alpn: no value */ return n == 0 ? 0 : -1;
    case 3:
        if (n != 2)
            return -1;
        sb_printf(s, "=%u", get16(v));
        return 0;
    case 4:
    case 6: {
        size_t w = key == 4 ? 4 : 16;
        if (n == 0 || n % w)
            return -1;
        for (size_t i = 0; i < n; i += w)
            sb_printf(s, "%s%s", i ? "," : "=",
                      inet_ntop(key == 4 ? AF_INET : AF_INET6, v + i, ip, sizeof(ip)));
        return 0;
    }
    case 5:
        sb_putc(s, '=');
        fmt_base64(s, v, n, 0);
        return 0;
    default:
        sb_printf(s, "=\"");
        put_quoted_bytes(s, v, n, false);
        sb_putc(s, '"');
        return 0;
    }
}

/* SVCB and HTTPS: "PRIORITY TARGET key=value ..." as dig prints them. */
static int put_svcb(struct sbuf *s, const uint8_t *pkt, size_t len, size_t off, size_t rdend,
                    char err[NK_ERRLEN])
{
    char kb[16];
    if (rdend - off < 3)
        return 1;
    sb_printf(s, "%u ", get16(pkt + off));
    off += 2;
    if (fmt_name(s, pkt, len, &off, rdend, err) < 0)
        return -1;
    while (off < rdend) {
        if (rdend - off < 4)
            return 1;
        unsigned key = get16(pkt + off);
        size_t n = get16(pkt + off + 2);
        off += 4;
        if (n > rdend - off)
            return 1;
        sb_printf(s, " %s", svc_key(key, kb));
        if (put_svc_value(s, key, pkt + off, n) < 0)
            return 1;
        off += n;
    }
    return 0;
}

/* RFC 3597: "\# LEN HEX". */
void fmt_unknown(struct sbuf *s, const uint8_t *p, size_t n)
{
    sb_printf(s, "\\# %zu", n);
    if (n) {
        sb_putc(s, ' ');
        fmt_hex(s, p, n);
    }
}

/* Data of fixed layout "u8/u16 fields then hex or base64": DS, SSHFP, TLSA. */
static int put_fixed_then(struct sbuf *s, const uint8_t *p, size_t n, const char *layout)
{
    size_t need = 0;
    for (const char *c = layout; *c && *c != 'h' && *c != 'b'; c++)
        need += *c == 'S' ? 2 : 1;
    if (n <= need)
        return -1; /* these types always carry a digest, fingerprint or key */
    size_t i = 0;
    for (const char *c = layout; *c; c++) {
        if (*c == 'S') {
            sb_printf(s, "%u ", get16(p + i));
            i += 2;
        } else if (*c == 'B') {
            sb_printf(s, "%u ", p[i]);
            i++;
        } else if (*c == 'h') {
            fmt_hex(s, p + i, n - i);
        } else if (*c == 'b') {
            fmt_base64(s, p + i, n - i, CHUNK);
        }
    }
    return 0;
}

/* A letter or digit of ASCII, whatever the locale. */
static bool ascii_alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* A DS digest (or with sshfp, an SSHFP fingerprint) of a kind dig knows has its length, SHA-1,
 * SHA-256 or (DS only) SHA-384: dig rejects one shorter or longer. */
static bool digest_fits(unsigned kind, size_t n, bool sshfp)
{
    return kind == 1 ? n == 20 : kind == 2 ? n == 32 : kind == 4 && !sshfp ? n == 48 : true;
}

int dns_rdata_format(const uint8_t *pkt, size_t len, const struct dns_rr *rr, char *out,
                     size_t outlen, char err[NK_ERRLEN])
{
    struct sbuf s;
    const uint8_t *p = pkt + rr->rdoff, *end = p + rr->rdlen;
    size_t n = rr->rdlen, off = rr->rdoff, rdend = rr->rdoff + rr->rdlen;
    char ip[INET6_ADDRSTRLEN];
    int r;
    sb_init(&s, out, outlen);
    if (rr->rdoff > len || rr->rdlen > len - rr->rdoff)
        return nk_seterr(err, "malformed answer: record data cut short");
    if (rr->rclass != 1 && rr->type != DNS_T_OPT) {
        fmt_unknown(&s, p, n); /* other classes' data has no common presentation */
        goto done;
    }
    switch (rr->type) {
    case DNS_T_A:
        if (n != 4)
            goto bad;
        fmt_ipv4(&s, p);
        break;
    case DNS_T_AAAA:
        if (n != 16)
            goto bad;
        sb_printf(&s, "%s", inet_ntop(AF_INET6, p, ip, sizeof(ip)));
        break;
    case DNS_T_NS:
    case DNS_T_CNAME:
    case DNS_T_PTR:
    case DNS_T_DNAME:
    case DNS_T_MB: /* and the mailbox types of RFC 1035 */
    case DNS_T_MG:
    case DNS_T_MR:
    case DNS_T_MD:
    case DNS_T_MF:
        if (fmt_name(&s, pkt, len, &off, rdend, err) < 0)
            return -1;
        if (off != rdend)
            goto bad;
        break;
    case DNS_T_MX:
        if (n < 3)
            goto bad;
        sb_printf(&s, "%u ", get16(p));
        off += 2;
        if (fmt_name(&s, pkt, len, &off, rdend, err) < 0)
            return -1;
        if (off != rdend)
            goto bad;
        break;
    case DNS_T_SOA:
        if (fmt_name(&s, pkt, len, &off, rdend, err) < 0)
            return -1;
        sb_putc(&s, ' ');
        if (fmt_name(&s, pkt, len, &off, rdend, err) < 0)
            return -1;
        if (rdend - off != 20)
            goto bad;
        for (int i = 0; i < 5; i++)
            sb_printf(&s, " %u", get32(pkt + off + 4 * (size_t)i));
        break;
    case DNS_T_TXT:
    case DNS_T_SPF:
    case DNS_T_NINFO:
    case DNS_T_AVC:
    case DNS_T_RESINFO:
    case DNS_T_WALLET:
    case DNS_T_HINFO: {
        if (n == 0)
            goto bad;
        int k = 0;
        for (const uint8_t *q = p; q < end; k++) {
            if (q != p)
                sb_putc(&s, ' ');
            if (fmt_string(&s, &q, end) < 0)
                goto bad;
        }
        if (rr->type == DNS_T_HINFO && k != 2)
            goto bad; /* CPU and OS, as dig wants them */
        break;
    }
    case DNS_T_SRV:
        if (n < 7)
            goto bad;
        sb_printf(&s, "%u %u %u ", get16(p), get16(p + 2), get16(p + 4));
        off += 6;
        if (fmt_name(&s, pkt, len, &off, rdend, err) < 0)
            return -1;
        if (off != rdend)
            goto bad;
        break;
    case DNS_T_NAPTR: {
        if (n < 4)
            goto bad;
        sb_printf(&s, "%u %u ", get16(p), get16(p + 2));
        const uint8_t *q = p + 4;
        for (int i = 0; i < 3; i++) {
            if (fmt_string(&s, &q, end) < 0)
                goto bad;
            sb_putc(&s, ' ');
        }
        off = (size_t)(q - pkt);
        if (fmt_name(&s, pkt, len, &off, rdend, err) < 0)
            return -1;
        if (off != rdend)
            goto bad;
        break;
    }
    case DNS_T_CAA: {
        if (n < 2 || (size_t)p[1] + 2 > n || p[1] == 0)
            goto bad;
        for (size_t i = 0; i < p[1]; i++)
            if (!ascii_alnum(p[2 + i])) /* dig takes a tag of letters and digits only */
                goto bad;
        sb_printf(&s, "%u ", p[0]);
        put_label(&s, p + 2, p[1]);
        sb_putc(&s, ' ');
        /* The value is the rest of the data, printed as a quoted string without a length. */
        sb_putc(&s, '"');
        put_quoted_bytes(&s, p + 2 + p[1], (size_t)(end - (p + 2 + p[1])), false);
        sb_putc(&s, '"');
        break;
    }
    case DNS_T_URI:
        if (n < 4)
            goto bad;
        sb_printf(&s, "%u %u \"", get16(p), get16(p + 2));
        put_quoted_bytes(&s, p + 4, n - 4, false);
        sb_putc(&s, '"');
        break;
    case DNS_T_DS:
    case DNS_T_CDS:
    case DNS_T_TA:
    case DNS_T_DLV:
        if ((n > 3 && !digest_fits(p[3], n - 4, false)) || put_fixed_then(&s, p, n, "SBBh") < 0)
            goto bad;
        break;
    case DNS_T_SSHFP:
        if ((n > 1 && !digest_fits(p[1], n - 2, true)) || put_fixed_then(&s, p, n, "BBh") < 0)
            goto bad;
        break;
    case DNS_T_TLSA:
    case DNS_T_SMIMEA:
        if (put_fixed_then(&s, p, n, "BBBh") < 0)
            goto bad;
        break;
    case DNS_T_KEY:
        if (n >= 4 && (get16(p) & 0xc000) == 0xc000) { /* the "no key" flags: no key */
            if (n != 4)
                goto bad;
            sb_printf(&s, "%u %u %u", get16(p), p[2], p[3]);
            break;
        }
        /* fall through */
    case DNS_T_DNSKEY:
    case DNS_T_CDNSKEY: r = fmt_key(&s, pkt, len, off, rdend, err); goto typed;
    case DNS_T_SVCB:
    case DNS_T_HTTPS: {
        r = put_svcb(&s, pkt, len, off, rdend, err);
        if (r < 0)
            return -1;
        if (r > 0)
            goto bad;
        break;
    }
    case DNS_T_OPENPGPKEY:
    case DNS_T_DHCID:
    case DNS_T_HHIT:
    case DNS_T_BRID:
        if (n == 0)
            goto bad;
        fmt_base64(&s, p, n, CHUNK);
        break;
    case DNS_T_RRSIG:
    case DNS_T_SIG:
    case DNS_T_NSEC:
    case DNS_T_NSEC3:
    case DNS_T_NSEC3PARAM:
    case DNS_T_CSYNC: r = dnsfmt_sec(&s, rr->type, pkt, len, off, rdend, err); goto typed;
    case DNS_T_LOC:
    case DNS_T_CERT:
    case DNS_T_ZONEMD:
    case DNS_T_EUI48:
    case DNS_T_EUI64:
    case DNS_T_RP:
    case DNS_T_MINFO:
    case DNS_T_AFSDB:
    case DNS_T_RT:
    case DNS_T_KX:
    case DNS_T_LP:
    case DNS_T_IPSECKEY:
    case DNS_T_APL:
    case DNS_T_NID:
    case DNS_T_L32:
    case DNS_T_L64:
    case DNS_T_TALINK:
    case DNS_T_PX:
    case DNS_T_X25:
    case DNS_T_ISDN:
    case DNS_T_GPOS:
    case DNS_T_WKS:
    case DNS_T_NSAP:
    case DNS_T_EID:
    case DNS_T_NIMLOC:
    case DNS_T_ATMA:
    case DNS_T_SINK:
    case DNS_T_AMTRELAY:
    case DNS_T_DOA: r = dnsfmt_more(&s, rr->type, pkt, len, off, rdend, err); goto typed;
    case DNS_T_A6:
    case DNS_T_HIP:
    case DNS_T_NXT:
    case DNS_T_RKEY:
    case DNS_T_DSYNC: r = dnsfmt_rare(&s, rr->type, pkt, len, off, rdend, err); goto typed;
    default: fmt_unknown(&s, p, n); break;
    }
    goto done;
typed:
    if (r == FMT_ERR)
        return -1;
    if (r == FMT_BAD)
        goto bad;
    if (r == FMT_RAW) { /* a form dig prints in RFC 3597 form too */
        sb_reset(&s);
        fmt_unknown(&s, p, n);
    }
done:
    if (s.over)
        return nk_seterr(err, "record data too long to print");
    return 0;
bad:;
    char tb[DNS_TYPE_BUF];
    return nk_seterr(err, "malformed answer: bad %s record data", dns_type_name(rr->type, tb));
}

const char *dns_rcode_name(int rcode, char buf[16])
{
    static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                        "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
                                        "NXRRSET", "NOTAUTH", "NOTZONE"};
    if (rcode >= 0 && rcode < (int)(sizeof(names) / sizeof(names[0])))
        return names[rcode];
    snprintf(buf, 16, "RCODE%d", rcode);
    return buf;
}

const char *dns_flags_str(uint16_t flags, char *buf, size_t len)
{
    static const struct {
        uint16_t bit;     /* the header bit */
        const char *name; /* dig's word for it */
    } f[] = {{DNS_F_QR, "qr"}, {DNS_F_AA, "aa"}, {DNS_F_TC, "tc"}, {DNS_F_RD, "rd"},
             {DNS_F_RA, "ra"}, {DNS_F_AD, "ad"}, {DNS_F_CD, "cd"}};
    struct sbuf s;
    sb_init(&s, buf, len);
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
        if (flags & f[i].bit)
            sb_printf(&s, "%s%s", s.n ? " " : "", f[i].name);
    return buf;
}
