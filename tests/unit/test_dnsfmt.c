/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_dnsfmt.c - the answer walker and the dig +short formatter, fed hand-built packets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dns/dnsfmt.h"
#include "dns/dnsname.h"

/* A packet under construction. */
struct pkt {
    uint8_t b[4096]; /* bytes */
    size_t n;        /* used */
};

static void put(struct pkt *p, const void *d, size_t n)
{
    memcpy(p->b + p->n, d, n);
    p->n += n;
}

static void u8(struct pkt *p, unsigned v)
{
    p->b[p->n++] = (uint8_t)v;
}

static void u16(struct pkt *p, unsigned v)
{
    u8(p, v >> 8);
    u8(p, v & 0xff);
}

static void u32(struct pkt *p, uint32_t v)
{
    u16(p, v >> 16);
    u16(p, v & 0xffff);
}

/* "www.example" as labels. */
static void name(struct pkt *p, const char *s)
{
    while (*s) {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        u8(p, (unsigned)l);
        put(p, s, l);
        s += l + (dot ? 1 : 0);
    }
    u8(p, 0);
}

/* Header + question "www.example" (at offset 12) of type qt, with an answer count. */
static void start(struct pkt *p, unsigned flags, unsigned an, unsigned qt)
{
    p->n = 0;
    u16(p, 0x1234);
    u16(p, flags);
    u16(p, 1);
    u16(p, an);
    u16(p, 0);
    u16(p, 0);
    name(p, "www.example");
    u16(p, qt);
    u16(p, 1);
}

/* An answer record owned by the question's name; returns the offset of its rdlength. */
static size_t rr(struct pkt *p, unsigned type, uint32_t ttl)
{
    u16(p, 0xc00c);
    u16(p, type);
    u16(p, 1);
    u32(p, ttl);
    size_t at = p->n;
    u16(p, 0);
    return at;
}

static void rr_end(struct pkt *p, size_t at)
{
    size_t len = p->n - at - 2;
    p->b[at] = (uint8_t)(len >> 8);
    p->b[at + 1] = (uint8_t)len;
}

/* Format the only answer of p. */
static int fmt1(struct pkt *p, char *out, size_t outlen, char *err)
{
    struct dns_walk w;
    struct dns_rr r;
    if (dns_walk_init(&w, p->b, p->n, err) < 0)
        return -1;
    if (dns_walk_next(&w, &r, err) != 1)
        return -1;
    return dns_rdata_format(p->b, p->n, &r, out, outlen, err);
}

static void header_and_walk(void **state)
{
    (void)state;
    struct pkt p;
    struct dns_walk w;
    struct dns_rr r;
    char err[NK_ERRLEN];
    start(&p, 0x8583, 2, 1);
    size_t a = rr(&p, 1, 300);
    put(&p, "\xc0\x00\x02\x0a", 4);
    rr_end(&p, a);
    a = rr(&p, 1, 60);
    put(&p, "\xc0\x00\x02\x0b", 4);
    rr_end(&p, a);
    assert_int_equal(dns_walk_init(&w, p.b, p.n, err), 0);
    assert_int_equal(w.hdr.rcode, 3);
    assert_true(w.hdr.flags & DNS_F_AA);
    assert_string_equal(w.qname, "www.example.");
    assert_int_equal(w.qtype, 1);
    assert_int_equal(dns_walk_next(&w, &r, err), 1);
    assert_string_equal(r.name, "www.example.");
    assert_int_equal(r.ttl, 300);
    assert_int_equal(dns_walk_next(&w, &r, err), 1);
    assert_int_equal(r.ttl, 60);
    assert_int_equal(dns_walk_next(&w, &r, err), 0);

    /* ancount says 3, there are 2. */
    p.b[7] = 3;
    assert_int_equal(dns_walk_init(&w, p.b, p.n, err), 0);
    assert_int_equal(dns_walk_next(&w, &r, err), 1);
    assert_int_equal(dns_walk_next(&w, &r, err), 1);
    assert_int_equal(dns_walk_next(&w, &r, err), -1);
    /* Short header, question cut short. */
    assert_int_equal(dns_walk_init(&w, p.b, 11, err), -1);
    assert_int_equal(dns_walk_init(&w, p.b, 20, err), -1);
    /* Record data past the end. */
    assert_int_equal(dns_walk_init(&w, p.b, p.n - 1, err), 0);
    assert_int_equal(dns_walk_next(&w, &r, err), 1);
    assert_int_equal(dns_walk_next(&w, &r, err), -1);
    assert_non_null(strstr(err, "cut short"));
}

static void names(void **state)
{
    (void)state;
    char out[DNS_PNAME_MAX], err[NK_ERRLEN];
    size_t off;
    /* Escapes: a dot and a space inside a label, a quote. */
    const uint8_t esc[] = {5, 'a', '.', 'b', ' ', '"', 0};
    off = 0;
    assert_int_equal(dns_name_read(esc, sizeof(esc), &off, out, sizeof(out), err), 0);
    assert_string_equal(out, "a\\.b\\032\\\".");
    assert_int_equal(off, sizeof(esc));
    /* The root. */
    const uint8_t root[] = {0};
    off = 0;
    assert_int_equal(dns_name_read(root, 1, &off, out, sizeof(out), err), 0);
    assert_string_equal(out, ".");
    /* A pointer to itself, a forward pointer, a bad label type, a truncated label. */
    const uint8_t back[] = {1, 'a', 0, 1, 'b', 0xc0, 0};
    off = 3;
    assert_int_equal(dns_name_read(back, sizeof(back), &off, out, sizeof(out), err), 0);
    assert_string_equal(out, "b.a.");
    assert_int_equal(off, sizeof(back));
    /* Backwards, yet a loop: the label after the target leads to the same pointer. */
    const uint8_t self[] = {1, 'a', 0xc0, 0};
    off = 2;
    assert_int_equal(dns_name_read(self, sizeof(self), &off, out, sizeof(out), err), -1);
    off = 0;
    const uint8_t loop[] = {0xc0, 0x00};
    assert_int_equal(dns_name_read(loop, sizeof(loop), &off, out, sizeof(out), err), -1);
    const uint8_t fwd[] = {0xc0, 0x02, 0};
    off = 0;
    assert_int_equal(dns_name_read(fwd, sizeof(fwd), &off, out, sizeof(out), err), -1);
    const uint8_t ext[] = {0x40, 0};
    off = 0;
    assert_int_equal(dns_name_read(ext, sizeof(ext), &off, out, sizeof(out), err), -1);
    const uint8_t cut[] = {5, 'a', 'b'};
    off = 0;
    assert_int_equal(dns_name_read(cut, sizeof(cut), &off, out, sizeof(out), err), -1);
    /* Over 255 bytes on the wire. */
    uint8_t big[320];
    size_t k = 0;
    for (int i = 0; i < 5; i++) {
        big[k++] = 60;
        memset(big + k, 'x', 60);
        k += 60;
    }
    big[k++] = 0;
    off = 0;
    assert_int_equal(dns_name_read(big, k, &off, out, sizeof(out), err), -1);
    /* A buffer too small. */
    off = 0;
    assert_int_equal(dns_name_read(esc, sizeof(esc), &off, out, 4, err), -1);
}

static void rdata(void **state)
{
    (void)state;
    struct pkt p;
    char out[1024], err[NK_ERRLEN];
    size_t a;

    start(&p, 0x8400, 1, 28);
    a = rr(&p, 28, 1);
    put(&p, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x10", 16);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out, "2001:db8::10");

    start(&p, 0x8400, 1, 1);
    a = rr(&p, 1, 1);
    put(&p, "\x01\x02\x03", 3); /* A with 3 bytes */
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), -1);
    assert_non_null(strstr(err, "bad A record data"));

    start(&p, 0x8400, 1, 15);
    a = rr(&p, 15, 1);
    u16(&p, 10);
    name(&p, "mail");
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out, "10 mail.");

    start(&p, 0x8400, 1, 15); /* MX whose name runs past its record */
    a = rr(&p, 15, 1);
    u16(&p, 10);
    u8(&p, 4);
    put(&p, "ma", 2);
    rr_end(&p, a);
    put(&p, "il\0", 3);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), -1);

    start(&p, 0x8400, 1, 6);
    a = rr(&p, 6, 1);
    u16(&p, 0xc00c);
    name(&p, "h.example");
    u32(&p, 2024010101);
    u32(&p, 3600);
    u32(&p, 900);
    u32(&p, 604800);
    u32(&p, 300);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out, "www.example. h.example. 2024010101 3600 900 604800 300");

    start(&p, 0x8400, 1, 16);
    a = rr(&p, 16, 1);
    put(&p, "\x05q\"\\\x09z\x00", 7);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out, "\"q\\\"\\\\\\009z\" \"\"");

    start(&p, 0x8400, 1, 16); /* a string longer than its record */
    a = rr(&p, 16, 1);
    put(&p, "\x09short", 6);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), -1);

    start(&p, 0x8400, 1, 257);
    a = rr(&p, 257, 1);
    put(&p, "\x00\x05issueca.example", 17);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out, "0 issue \"ca.example\"");

    start(&p, 0x8400, 1, 33);
    a = rr(&p, 33, 1);
    u16(&p, 10);
    u16(&p, 60);
    u16(&p, 5060);
    u8(&p, 0);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out, "10 60 5060 .");

    start(&p, 0x8400, 1, 35);
    a = rr(&p, 35, 1);
    u16(&p, 100);
    u16(&p, 10);
    put(&p, "\x01S\x07SIP+D2U\x00", 11);
    name(&p, "_sip._udp.example");
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out, "100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.");

    start(&p, 0x8400, 1, 43); /* DS: hex split at 56 characters as dig does */
    a = rr(&p, 43, 1);
    u16(&p, 12345);
    u8(&p, 13);
    u8(&p, 2);
    for (int i = 0; i < 32; i++)
        u8(&p, (unsigned)i);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out, "12345 13 2 000102030405060708090A0B0C0D0E0F101112131415161718191A1B "
                             "1C1D1E1F");

    start(&p, 0x8400, 1, 48);
    a = rr(&p, 48, 1);
    u16(&p, 257);
    u8(&p, 3);
    u8(&p, 13);
    put(&p, "abcd", 4);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out, "257 3 13 YWJjZA==");

    start(&p, 0x8400, 1, 65280);
    a = rr(&p, 65280, 1);
    put(&p, "\x0a\x00\x00\x01", 4);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out, "\\# 4 0A000001");

    start(&p, 0x8400, 1, 65281);
    a = rr(&p, 65281, 1);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out, "\\# 0");

    start(&p, 0x8400, 1, 256);
    a = rr(&p, 256, 1);
    u16(&p, 10);
    u16(&p, 1);
    put(&p, "https://x/", 10);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out, "10 1 \"https://x/\"");
    /* Output buffer too small: an error, never an overflow. */
    assert_int_equal(fmt1(&p, out, 8, err), -1);
    assert_non_null(strstr(err, "too long"));
}

static void svcb(void **state)
{
    (void)state;
    struct pkt p;
    char out[1024], err[NK_ERRLEN];
    size_t a;
    start(&p, 0x8400, 1, 65);
    a = rr(&p, 65, 1);
    u16(&p, 1);
    u8(&p, 0);  /* target "." */
    u16(&p, 0); /* mandatory=alpn,port */
    u16(&p, 4);
    u16(&p, 1);
    u16(&p, 3);
    u16(&p, 1); /* alpn="h2,a\\,b" */
    u16(&p, 7);
    put(&p,
        "\x02h2\x03"
        "a,b",
        7);
    u16(&p, 2); /* no-default-alpn */
    u16(&p, 0);
    u16(&p, 3); /* port=8443 */
    u16(&p, 2);
    u16(&p, 8443);
    u16(&p, 4); /* ipv4hint */
    u16(&p, 4);
    put(&p, "\xc0\x00\x02\x01", 4);
    u16(&p, 65000); /* an unknown key */
    u16(&p, 3);
    put(&p, "a\"b", 3);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), 0);
    assert_string_equal(out,
                        "1 . mandatory=alpn,port alpn=\"h2,a\\\\,b\" no-default-alpn port=8443 "
                        "ipv4hint=192.0.2.1 key65000=\"a\\\"b\"");

    /* A parameter longer than the record, a port of 3 bytes, an empty alpn id. */
    start(&p, 0x8400, 1, 64);
    a = rr(&p, 64, 1);
    u16(&p, 1);
    u8(&p, 0);
    u16(&p, 3);
    u16(&p, 9);
    u16(&p, 443);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), -1);
    start(&p, 0x8400, 1, 64);
    a = rr(&p, 64, 1);
    u16(&p, 1);
    u8(&p, 0);
    u16(&p, 3);
    u16(&p, 3);
    put(&p, "\x01\xbb\x00", 3);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), -1);
    start(&p, 0x8400, 1, 64);
    a = rr(&p, 64, 1);
    u16(&p, 1);
    u8(&p, 0);
    u16(&p, 1);
    u16(&p, 1);
    u8(&p, 0);
    rr_end(&p, a);
    assert_int_equal(fmt1(&p, out, sizeof(out), err), -1);
    assert_non_null(strstr(err, "bad SVCB record data"));
}

static void names_of_codes(void **state)
{
    (void)state;
    char b[16], f[40];
    assert_string_equal(dns_rcode_name(3, b), "NXDOMAIN");
    assert_string_equal(dns_rcode_name(5, b), "REFUSED");
    assert_string_equal(dns_rcode_name(15, b), "RCODE15");
    assert_string_equal(dns_flags_str(0x8580, f, sizeof(f)), "qr aa rd ra");
    assert_string_equal(dns_flags_str(0, f, sizeof(f)), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_and_walk), cmocka_unit_test(names),
        cmocka_unit_test(rdata),           cmocka_unit_test(svcb),
        cmocka_unit_test(names_of_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
