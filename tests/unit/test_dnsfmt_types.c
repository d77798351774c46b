/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_dnsfmt_types.c - the formatter on the types with a presentation form of their own
 * (dnsfmt_sec.c, dnsfmt_more.c): each as dig prints it, and what dig rejects rejected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dns/dnsfmt.h"
#include "dns/dnsname.h"

/* A response to "www.example" of one record of type with data d[0..n), formatted. */
static int fmt_rd(unsigned type, const void *d, size_t n, char *out, size_t outlen, char *err)
{
    static const uint8_t head[] = {0x12, 0x34, 0x84, 0x00, 0,   1,   0,   1,   0,   0,   0,   0, 3,
                                   'w',  'w',  'w',  7,    'e', 'x', 'a', 'm', 'p', 'l', 'e', 0};
    uint8_t p[4096];
    size_t k = sizeof(head);
    struct dns_walk w;
    struct dns_rr r;
    memcpy(p, head, k);
    /* The question's type and class, then the record: a pointer to the question's name. */
    const uint8_t q[] = {(uint8_t)(type >> 8),
                         (uint8_t)type,
                         0,
                         1,
                         0xc0,
                         0x0c,
                         (uint8_t)(type >> 8),
                         (uint8_t)type,
                         0,
                         1,
                         0,
                         0,
                         0,
                         1,
                         (uint8_t)(n >> 8),
                         (uint8_t)n};
    memcpy(p + k, q, sizeof(q));
    k += sizeof(q);
    memcpy(p + k, d, n);
    k += n;
    if (dns_walk_init(&w, p, k, err) < 0 || dns_walk_next(&w, &r, err) != 1)
        return -2;
    return dns_rdata_format(p, k, &r, out, outlen, err);
}

/* d formats as want. */
#define OK(type, d, want)                                                                          \
    do {                                                                                           \
        assert_int_equal(fmt_rd(type, d, sizeof(d) - 1, out, sizeof(out), err), 0);                \
        assert_string_equal(out, want);                                                            \
    } while (0)

/* d is malformed. */
#define BAD(type, d)                                                                               \
    do {                                                                                           \
        assert_int_equal(fmt_rd(type, d, sizeof(d) - 1, out, sizeof(out), err), -1);               \
        assert_non_null(strstr(err, "malformed"));                                                 \
    } while (0)

static void dnssec(void **state)
{
    (void)state;
    char out[2048], err[NK_ERRLEN];
    /* RRSIG: the covered type by name, times as dig prints them, the signature in chunks. */
    OK(46,
       "\x00\x01\x0d\x02\x00\x00\x01\x2c\x6a\x3b\x1e\x00\x68\x00\x19\x60\x30\x39\x01"
       "a\x00"
       "0123456789012345678901234567890123456789012",
       "A 13 2 300 20260624000000 20250416205600 12345 a. "
       "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAx Mg==");
    OK(46, "\xfd\xe8\xfd\x02\x00\x00\x01\x2c\x3b\x9a\xca\x00\x3b\x9a\xca\x01\x00\x07\x00\x01",
       "TYPE65000 253 2 300 20010909014640 20010909014641 7 . AQ==");
    BAD(46, "\x00\x01\x0d\x02\x00\x00\x01\x2c\x6a\x3c\x6c\x00\x68\x00\x00\x00\x30\x39\x00");
    BAD(46, "\x00\x01\x0d\x02\x00\x00\x01\x2c\x6a\x3c\x6c\x00\x68\x00\x00\x00\x30");
    BAD(46, "\x00\x01\x0d\x02\x00\x00\x01\x2c\x6a\x3c\x6c\x00\x68\x00\x00\x00\x30\x39\x05"
            "ab");

    /* NSEC: windows with gaps between them, names for known types, TYPEnnn for the rest. */
    OK(47,
       "\x01n\x00\x00\x07\x62\x01\x80\x08\x00\x03\x80\x01\x01\x40\x02\x01\x80\xff\x20"
       "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
       "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01",
       "n. A NS SOA MX TXT AAAA RRSIG NSEC DNSKEY CAA TYPE512 TYPE65535");
    BAD(47, "\x01n\x00");                         /* NSEC always has a type */
    BAD(47, "\x01n\x00\x00\x00");                 /* an empty window */
    BAD(47, "\x01n\x00\x00\x02\x40");             /* a window cut short */
    BAD(47, "\x01n\x00\x00\x02\x40\x00");         /* ending in a zero octet */
    BAD(47, "\x01n\x00\x01\x01\x40\x00\x01\x40"); /* windows out of order */
    BAD(47, "\x01n\x00\x00\x01\x40\x00\x01\x20"); /* a window twice */
    BAD(47, "\x01n\x00\x00");                     /* a window number alone */
    {
        uint8_t w[3 + 2 + 33] = {1, 'n', 0, 0, 33}; /* a window longer than 32 octets */
        w[sizeof(w) - 1] = 1;
        assert_int_equal(fmt_rd(47, w, sizeof(w), out, sizeof(out), err), -1);
        w[4] = 32; /* the longest one */
        assert_int_equal(fmt_rd(47, w, sizeof(w) - 1, out, sizeof(out), err), -1);
        w[sizeof(w) - 2] = 1;
        assert_int_equal(fmt_rd(47, w, sizeof(w) - 1, out, sizeof(out), err), 0);
        assert_string_equal(out, "n. ANY");
    }

    /* NSEC3: the salt in hex, the hash in base32hex; an empty non-terminal has no types. */
    OK(50, "\x01\x01\x00\x0c\x04\xaa\xbb\xcc\xdd\x05\x00\x00\x00\x00\x01\x00\x01\x40",
       "1 1 12 AABBCCDD 00000001 A");
    OK(50,
       "\x01\x00\x00\x00\x00\x14\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
       "\xff\xff\xff\xff\xff\xff\xff",
       "1 0 0 - VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV");
    OK(50, "\x01\x00\x00\x00\x00\x01\xff", "1 0 0 - VS"); /* a part group, no padding */
    assert_int_equal(fmt_rd(50, "\x01\x00\x00\x00\x00\x01\xff", 7, out, 8, err), -1);
    assert_non_null(strstr(err, "too long"));
    BAD(50, "\x01\x00\x00\x00\x00\x00");     /* no hash */
    BAD(50, "\x01\x00\x00\x00\x04\xaa\xbb"); /* the salt runs past the end */
    BAD(50, "\x01\x00\x00\x00\x00\x03\xaa"); /* the hash runs past the end */
    BAD(50, "\x01\x00\x00\x00\x00\x01\xaa\x00\x00");
    OK(51, "\x01\x00\x00\x0a\x04\xaa\xbb\xcc\xdd", "1 0 10 AABBCCDD");
    OK(51, "\xff\xff\xff\xff\x00", "255 255 65535 -");
    BAD(51, "\x01\x00\x00\x0a\x04\xaa");
    BAD(51, "\x01\x00\x00\x0a\x00\x00"); /* a byte after the salt */
    BAD(51, "\x01\x00\x00\x0a");

    /* CSYNC: serial, flags, and a bitmap that may be empty. */
    OK(62, "\x00\x00\x00\x42\x00\x03\x00\x04\x60\x00\x00\x08", "66 3 A NS AAAA");
    OK(62, "\x00\x00\x00\x01\x00\x00", "1 0");
    BAD(62, "\x00\x00\x00\x01\x00");
    BAD(62, "\x00\x00\x00\x01\x00\x00\x00\x00");

    /* CDS and CDNSKEY are DS and DNSKEY; "0 0 0 00" is the delete request. */
    OK(59, "\x00\x00\x00\x00\x00", "0 0 0 00");
    OK(60, "\x00\x00\x03\x00\x00", "0 3 0 AA==");
}

static void loc(void **state)
{
    (void)state;
    char out[512], err[NK_ERRLEN];
    OK(29, "\x00\x12\x16\x13\x8b\x3c\xf0\x18\x81\x0c\xbc\xe0\x00\x98\x95\xb8",
       "52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m");
    /* The largest and smallest values: 90 degrees, 180 degrees west, both altitude ends,
     * sizes of mantissa 9 and power 9, of nothing at all (0.00m), powers 0 and 1. */
    OK(29, "\x00\x99\x00\x11\x93\x4f\xd9\x00\x59\x60\x4e\x00\xff\xff\xff\xff",
       "90 0 0.000 N 180 0 0.000 W 42849672.95m 90000000m 0.00m 0.10m");
    OK(29, "\x00\x90\x10\x11\x7f\xff\xff\xff\x80\x00\x00\x01\x00\x00\x00\x00",
       "0 0 0.001 S 0 0 0.001 E -100000.00m 0.09m 0.01m 0.10m");
    /* Another version: dig has no form for it but RFC 3597's. */
    OK(29, "\x01\x12\x16\x13\x80\x00\x00\x00\x80\x00\x00\x00\x00\x98\x96\x80",
       "\\# 16 01121613800000008000000000989680");
    BAD(29, "\x00\xa2\x16\x13\x80\x00\x00\x00\x80\x00\x00\x00\x00\x98\x96\x80"); /* mantissa 10 */
    BAD(29, "\x00\x1a\x16\x13\x80\x00\x00\x00\x80\x00\x00\x00\x00\x98\x96\x80"); /* power 10 */
    BAD(29, "\x00\x12\x05\x13\x80\x00\x00\x00\x80\x00\x00\x00\x00\x98\x96\x80"); /* 0 x 10^5 */
    BAD(29, "\x00\x12\x16\xff\x80\x00\x00\x00\x80\x00\x00\x00\x00\x98\x96\x80");
    BAD(29, "\x00\x12\x16\x13\x93\x4f\xd9\x01\x80\x00\x00\x00\x00\x98\x96\x80");     /* lat > 90 */
    BAD(29, "\x00\x12\x16\x13\x80\x00\x00\x00\xa6\x9f\xb2\x01\x00\x98\x96\x80");     /* lon > 180 */
    BAD(29, "\x00\x12\x16\x13\x80\x00\x00\x00\x80\x00\x00\x00\x00\x98\x96");         /* 15 bytes */
    BAD(29, "\x00\x12\x16\x13\x80\x00\x00\x00\x80\x00\x00\x00\x00\x98\x96\x80\x00"); /* 17 */
    BAD(29, "");
}

static void apl(void **state)
{
    (void)state;
    char out[512], err[NK_ERRLEN];
    OK(42,
       "\x00\x01\x18\x03\xc0\x00\x02\x00\x01\x19\x84\xc0\x00\x02\x80\x00\x02\x20\x04\x20\x01\x0d"
       "\xb8",
       "1:192.0.2.0/24 !1:192.0.2.128/25 2:2001:db8::/32");
    /* Prefix 0 and no address bytes, negated or not; bits past the prefix print as sent. */
    OK(42, "\x00\x01\x00\x00\x00\x02\x00\x80\x00\x01\x08\x02\x0a\xff",
       "1:0.0.0.0/0 !2:::/0 1:10.255.0.0/8");
    OK(42, "", "");                                     /* no items at all */
    OK(42, "\x00\x03\x08\x01\x0a", "\\# 5 000308010A"); /* a family dig does not know */
    BAD(42, "\x00\x01\x18\x04\xc0\x00\x02\x00");        /* a zero last address byte */
    BAD(42, "\x00\x01\x21\x01\x0a");                    /* prefix 33 for IPv4 */
    BAD(42, "\x00\x02\x81\x01\x20");                    /* prefix 129 for IPv6 */
    BAD(42, "\x00\x01\x20\x05\x01\x02\x03\x04\x05");    /* 5 bytes of IPv4 */
    BAD(42, "\x00\x01\x20\x04\x01\x02");                /* cut short */
    BAD(42, "\x00\x01\x20");
}

static void more_types(void **state)
{
    (void)state;
    char out[512], err[NK_ERRLEN];
    OK(37, "\x00\x03\x00\x00\x00\x01\x02\x03", "PGP 0 0 AQID");
    OK(37, "\xfd\xe8\x00\x01\xfd\x01", "65000 1 PRIVATEDNS AQ==");
    OK(37, "\x00\xfe\x00\x07\x0d\x01", "OID 7 ECDSAP256SHA256 AQ==");
    OK(37, "\x00\x09\x00\x07\x11\x01", "9 7 17 AQ==");
    BAD(37, "\x00\x03\x00\x00\x00"); /* no certificate */
    OK(108, "\x00\x00\x5e\x00\x53\x2a", "00-00-5e-00-53-2a");
    OK(109, "\x00\x00\x5e\xef\x10\x00\x00\x2a", "00-00-5e-ef-10-00-00-2a");
    BAD(108, "\x00\x00\x5e\x00\x53");
    BAD(109, "\x00\x00\x5e\xef\x10\x00\x00\x2a\x00");
    OK(45, "\x0a\x01\x02\xc0\x00\x02\x26\x01\x02", "10 1 2 192.0.2.38 AQI=");
    OK(45, "\x0a\x00\x02\x01", "10 0 2 . AQ==");
    OK(45, "\x0a\x02\x02\x20\x01\x0d\xb8\x00\x00\x80\x02\x00\x00\x00\x00\x00\x00\x20\x00\x01",
       "10 2 2 2001:db8:0:8002::2000 AQ==");
    OK(45, "\x0a\x03\x02\x02gw\x00\x01", "10 3 2 gw. AQ==");
    BAD(45, "\x0a\x03\x02\x02gw\x00"); /* no key */
    BAD(45, "\x0a\x00\x02");
    BAD(45, "\x0a\x04\x02\x01");         /* gateway type 4 */
    BAD(45, "\x0a\x01\x02\xc0\x00\x02"); /* an address cut short */
    BAD(45, "\x0a\x01");
    {
        uint8_t z[6 + 48] = {0x78, 0x49, 0x43, 0x2c, 1, 1};
        for (int i = 0; i < 48; i++)
            z[6 + i] = (uint8_t)i;
        assert_int_equal(fmt_rd(63, z, sizeof(z), out, sizeof(out), err), 0);
        assert_string_equal(
            out, "2018067244 1 1 000102030405060708090A0B0C0D0E0F101112131415161718191A1B "
                 "1C1D1E1F202122232425262728292A2B2C2D2E2F");
        assert_int_equal(fmt_rd(63, z, sizeof(z) - 1, out, sizeof(out), err), -1); /* SHA-384 */
        z[5] = 9; /* a digest dig does not know: 12 bytes at least */
        assert_int_equal(fmt_rd(63, z, 18, out, sizeof(out), err), 0);
        assert_string_equal(out, "2018067244 1 9 000102030405060708090A0B");
        assert_int_equal(fmt_rd(63, z, 17, out, sizeof(out), err), -1);
        assert_int_equal(fmt_rd(63, z, 5, out, sizeof(out), err), -1);
    }
    OK(17, "\x04mbox\x00\x03txt\x00", "mbox. txt.");
    BAD(17, "\x04mbox\x00");
    BAD(17, "\x04mbox\x00\x00\x00"); /* bytes after the names */
    OK(18,
       "\x00\x01\x03"
       "afs\x00",
       "1 afs.");
    OK(36, "\x00\x0a\x00", "10 .");
    BAD(36, "\x00\x0a");
    OK(104, "\x00\x0a\x00\x14\x4f\xff\xff\x20\xee\x64", "10 14:4fff:ff20:ee64");
    OK(105, "\x00\x0a\x0a\x01\x02\x00", "10 10.1.2.0");
    OK(106, "\x00\x0a\x20\x01\x0d\xb8\x11\x40\x10\x00", "10 2001:db8:1140:1000");
    BAD(104, "\x00\x0a\x00\x14\x4f\xff\xff\x20\xee");
    BAD(105, "\x00\x0a\x0a\x01\x02");
    OK(53, "\x03\x01\x01\x01\x23", "3 1 1 0123");
    OK(49, "\x01", "AQ==");
    BAD(49, "");
    /* DS and SSHFP digests of a kind dig knows must have its length. */
    {
        uint8_t d[4 + 49] = {0, 1, 13, 1};
        assert_int_equal(fmt_rd(43, d, 4 + 20, out, sizeof(out), err), 0);
        assert_string_equal(out, "1 13 1 0000000000000000000000000000000000000000");
        assert_int_equal(fmt_rd(43, d, 4 + 19, out, sizeof(out), err), -1);
        assert_int_equal(fmt_rd(43, d, 4 + 21, out, sizeof(out), err), -1);
        d[3] = 2;
        assert_int_equal(fmt_rd(43, d, 4 + 32, out, sizeof(out), err), 0);
        assert_int_equal(fmt_rd(59, d, 4 + 20, out, sizeof(out), err), -1);
        d[3] = 4;
        assert_int_equal(fmt_rd(43, d, 4 + 48, out, sizeof(out), err), 0);
        assert_int_equal(fmt_rd(43, d, 4 + 49, out, sizeof(out), err), -1);
        d[3] = 3; /* not checked by dig */
        assert_int_equal(fmt_rd(43, d, 4 + 3, out, sizeof(out), err), 0);
        const uint8_t f[2 + 32] = {1, 1};
        assert_int_equal(fmt_rd(44, f, 2 + 20, out, sizeof(out), err), 0);
        assert_int_equal(fmt_rd(44, f, 2 + 19, out, sizeof(out), err), -1);
        OK(44, "\x01\x04\x00\x00\x00", "1 4 000000"); /* SHA-384 is DS's, not SSHFP's */
        d[3] = 1;                                     /* TA and DLV are DS */
        assert_int_equal(fmt_rd(32768, d, 4 + 20, out, sizeof(out), err), 0);
        assert_int_equal(fmt_rd(32769, d, 4 + 19, out, sizeof(out), err), -1);
        assert_non_null(strstr(err, "bad DLV record data"));
    }
    /* KEY is DNSKEY, but with the "no key" flags it has none; SIG is RRSIG. */
    OK(25, "\xc0\x00\x03\x0d", "49152 3 13");
    OK(25, "\x01\x01\x03\x0d\x01", "257 3 13 AQ==");
    BAD(25, "\x01\x01\x03\x0d");
    OK(24, "\x00\x10\x0d\x02\x00\x00\x01\x2c\x6b\x49\xd2\x00\x65\x53\xf1\x00\x00\x07\x00\x01",
       "TXT 13 2 300 20270115080000 20231114221320 7 . AQ==");
    /* The RFC 1035 mailbox types, TALINK and PX; text types; X25, ISDN and GPOS strings. */
    OK(7, "\x01m\x00", "m.");
    BAD(3, "\x01m\x00\x00");
    OK(58,
       "\x01"
       "a\x00\x01"
       "b\x00",
       "a. b.");
    OK(26,
       "\x00\x0a\x01"
       "a\x00\x01"
       "b\x00",
       "10 a. b.");
    BAD(26, "\x00\x0a\x01"
            "a\x00");
    OK(56, "\x02hi\x00", "\"hi\" \"\"");
    OK(258, "\x00", "\"\"");
    OK(19,
       "\x04"
       "1234",
       "\"1234\"");
    BAD(19, "\x03"
            "123"); /* fewer than 4 digits */
    BAD(19, "\x04"
            "123a"); /* not a digit */
    BAD(19, "\x04"
            "1234\x00");
    OK(20, "\x00", "\"\"");
    OK(20,
       "\x04"
       "1234\x03"
       "004",
       "\"1234\" \"004\"");
    BAD(20, "\x01"
            "1\x01"
            "2\x01"
            "3");
    OK(27,
       "\x03"
       "abc\x01"
       "b\x01"
       "c",
       "\"abc\" \"b\" \"c\"");
    BAD(27, "\x01"
            "1\x01"
            "2");
    /* WKS, NSAP, EID, NIMLOC, ATMA, SINK and AMTRELAY. */
    OK(11, "\xc0\x00\x02\x01\x06\x40\x00\x01", "192.0.2.1 6 1 23");
    OK(11, "\xc0\x00\x02\x01\x06", "192.0.2.1 6");
    BAD(11, "\xc0\x00\x02\x01\x06\x40\x00"); /* a zero last byte */
    BAD(11, "\xc0\x00\x02\x01");
    OK(22, "\x47\xAB", "0x47ab");
    BAD(22, "");
    OK(31, "\xab\x01", "AB01");
    BAD(32, "");
    OK(34, "\x00\xab\xcd", "abcd");
    OK(34,
       "\x01"
       "123",
       "+123");
    OK(34, "\x02\x01", "\\# 2 0201");
    BAD(34, "\x01"
            "ab");
    BAD(34, "\x00");
    OK(40, "\x01\x02\x03", "1 2 3");
    OK(40, "\x01\x02\x00\x01\x02\x03", "1 2 0 AQID");
    BAD(40, "\x01\x02");
    OK(260, "\x0a\x81\xc0\x00\x02\x01", "10 1 1 192.0.2.1");
    OK(260, "\x0a\x00", "10 0 0 .");
    OK(260, "\x0a\x03\x01m\x00", "10 0 3 m.");
    OK(260, "\x0a\x04\x01", "\\# 3 0A0401");
    BAD(260, "\x0a\x00\x01");
    BAD(260, "\x0a\x01\x01\x02");
    BAD(260, "\x0a");
    /* DOA: its data in one base64 piece, "-" when there is none; HHIT and BRID base64. */
    OK(259, "\x00\x00\x00\x01\x00\x00\x00\x02\x03\x00", "1 2 3 \"\" -");
    OK(259, "\x00\x00\x00\x01\x00\x00\x00\x02\x03\x01x\x01\x02\x03", "1 2 3 \"x\" AQID");
    BAD(259, "\x00\x00\x00\x01\x00\x00\x00\x02\x03");
    BAD(259, "\x00\x00\x00\x01\x00\x00\x00\x02\x03\x02x");
    OK(67, "\x01\x02\x03", "AQID");
    OK(68, "\x01", "AQ==");
    BAD(68, "");
    /* HINFO has two strings, a CAA tag letters and digits only. */
    OK(13, "\x01x\x01y", "\"x\" \"y\"");
    BAD(13, "\x01x");
    BAD(13, "\x01x\x01y\x01z");
    OK(257, "\x80\x05ISSUEca", "128 ISSUE \"ca\"");
    BAD(257, "\x00\x02"
             "a-x");
    BAD(257, "\x00\x02"
             "a\xe9x");
    /* Type names: in type bitmaps, the TYPE column and -t. */
    int t = 0;
    char tb[DNS_TYPE_BUF];
    assert_int_equal(dns_type_parse("eui48", &t, err), 0);
    assert_int_equal(t, 108);
    assert_string_equal(dns_type_name(29, tb), "LOC");
    assert_string_equal(dns_type_name(45, tb), "IPSECKEY");
    assert_string_equal(dns_type_name(54, tb), "TYPE54");
    assert_string_equal(dns_type_name(32769, tb), "DLV");
}

static void rare(void **state)
{
    (void)state;
    char out[1024], err[NK_ERRLEN];
    /* A6: the suffix in as few octets as the prefix leaves, then the prefix's name. */
    OK(38, "\x00\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01", "0 2001:db8::1");
    OK(38, "\x40\x00\x00\x00\x00\x00\x00\x00\x01\x03pfx\x00", "64 ::1 pfx.");
    OK(38, "\x80\x03pfx\x00", "128  pfx.");      /* no suffix: dig keeps both spaces */
    OK(38, "\x80\xc0\x0c", "128  www.example."); /* a compressed name, as dig takes it */
    OK(38, "\x80\x00", "128  .");
    OK(38,
       "\x78\xff\x01"
       "a\x00",
       "120 ::ff a.");
    OK(38,
       "\x09\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x01"
       "a\x00",
       "9 7f:7f7f:7f7f:7f7f:7f7f:7f7f:7f7f:7f7f a.");
    OK(38,
       "\x7f\x01\x01"
       "a\x00",
       "127 ::1 a.");
    BAD(38, "");
    BAD(38, "\x81\x01"
            "a\x00"); /* a prefix over 128 bits */
    BAD(38, "\x09\xff\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x01"
            "a\x00"); /* a prefix bit set in the suffix */
    BAD(38, "\x7f\x03\x01"
            "a\x00");
    BAD(38, "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"); /* cut short */
    BAD(38, "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    BAD(38, "\x40\x00\x00\x00\x00\x00\x00\x00\x01\x01"
            "a\x00\x00"); /* a byte after the name */
    BAD(38, "\x80");      /* no name */
    BAD(38, "\x40\x00\x00\x00\x00\x00\x00\x00\x01");

    /* HIP: the HIT in hex and the key in base64, each in one piece, then rendezvous servers. */
    OK(55, "\x01\x02\x00\x01\x61\x62", "2 61 Yg==");
    OK(55, "\x01\x02\x00\x01\x61\x62\xc0\x0c\x00", "2 61 Yg== www.example. .");
    OK(55, "\x02\xff\x00\x03\xab\xcd\x01\x02\x03\x04rvs1\x00\x04rvs2\x00",
       "255 ABCD AQID rvs1. rvs2.");
    {
        uint8_t h[4 + 40 + 70] = {40, 5, 0, 70};
        for (size_t i = 4; i < sizeof(h); i++)
            h[i] = 0xff;
        assert_int_equal(fmt_rd(55, h, sizeof(h), out, sizeof(out), err), 0);
        assert_int_equal(strncmp(out, "5 FFFF", 6), 0);
        assert_ptr_equal(strchr(out + 2, ' '), out + 82); /* the HIT in one piece */
        assert_null(strchr(out + 83, ' '));               /* the key too */
        assert_int_equal(strlen(out), 2 + 80 + 1 + 96);   /* no chunks */
        h[3] = 71;                                        /* the key runs past the end */
        assert_int_equal(fmt_rd(55, h, sizeof(h), out, sizeof(out), err), -1);
    }
    BAD(55, "\x00\x02\x00\x03"
            "abc"); /* no HIT */
    BAD(55, "\x01\x02\x00\x00"
            "a"); /* no key */
    BAD(55, "\x01\x02\x00\x01"
            "a");
    BAD(55, "\x01\x02\x00\x02"
            "ab");
    BAD(55, "\x01\x02\x00");
    BAD(55, "\x01\x02\x00\x01"
            "ab\x01x\x00\x01"); /* a rendezvous server cut short */

    /* NXT: the next name and a bitmap of types 1-127, unnamed ones by number. */
    OK(30, "\x04next\x00\x62\x01\x00\x08", "next. A NS SOA MX AAAA");
    OK(30, "\x01n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0f",
       "n. EUI48 EUI64 110 111");
    OK(30, "\x01n\x00\x00\x00\x00\x00\x00\x00\x02", "n. 54");
    OK(30, "\xc0\x0c\x40", "www.example. A");
    OK(30, "\x00", ".");
    BAD(30, "\x01n\x00\x80");     /* the extended format's bit */
    BAD(30, "\x01n\x00\x40\x00"); /* ending in a zero octet */
    BAD(30, "\x01n\x00\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40\x40");
    BAD(30, "");
    BAD(30, "\x01n");

    /* RKEY: DNSKEY's form, but no flag may be set. */
    OK(57, "\x00\x00\x03\x05\x01\x02\x03", "0 3 5 AQID");
    BAD(57, "\x00\x01\x03\x05\x01\x02\x03");
    BAD(57, "\xc0\x00\x03\x05"); /* no key, and flags */
    BAD(57, "\x00\x00\x03\x05");
    BAD(57, "\x00\x00\x03");

    /* A PRIVATEDNS key (algorithm 253) starts with a name: dig prints it uncompressed. */
    OK(48, "\x01\x01\x03\xfd\xc0\x0c\x01\x02", "257 3 253 A3d3dwdleGFtcGxlAAEC");
    OK(57,
       "\x00\x00\x03\xfd\x01"
       "a\xc0\x0c",
       "0 3 253 AWEDd3d3B2V4YW1wbGUA");
    OK(25, "\x01\x00\x03\xfd\x00", "256 3 253 AA==");
    OK(48, "\x01\x01\x03\xfe\xc0\x0c", "257 3 254 wAw="); /* not for PRIVATEOID */
    BAD(48, "\x01\x01\x03\xfd\x05"
            "ab"); /* the name cut short */
    BAD(60, "\x01\x01\x03\xfd\x40");
    OK(25, "\xc0\x00\x03\x05", "49152 3 5");
    BAD(25, "\xc0\x00\x03\x05\x01"); /* "no key", yet a key */

    /* DSYNC: the type by name, scheme 1 as NOTIFY, others by number. */
    OK(66, "\x00\x3b\x01\x14\x51\x01n\x00", "CDS NOTIFY 5201 n.");
    OK(66, "\xff\x00\x02\x00\x35\xc0\x0c", "TYPE65280 2 53 www.example.");
    OK(66, "\x00\xfb\x00\x00\x00\x00", "IXFR 0 0 .");
    BAD(66, "\x00\x3b\x01\x14\x51\x01n\x00\x00");
    BAD(66, "\x00\x3b\x01\x14\x51");
    BAD(66, "\x00\x3b\x01\x14\x51\x01n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dnssec),     cmocka_unit_test(loc),  cmocka_unit_test(apl),
        cmocka_unit_test(more_types), cmocka_unit_test(rare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
