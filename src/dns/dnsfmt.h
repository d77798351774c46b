/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsfmt.h - a DNS answer packet, walked and printed: the header, each record of the answer
 * section, and each record's data in the presentation form `dig +short` prints (RFC 3597
 * `\# LEN HEX` for types without one). Pure: a buffer in, text out; unit tests and a fuzzer
 * feed it random bytes. */
#ifndef NK_DNSFMT_H
#define NK_DNSFMT_H

#include <stddef.h>
#include <stdint.h>
#include "lib/nk.h"

/* A name in presentation form: 255 wire bytes, each at worst "\DDD", plus dots and the NUL. */
#define DNS_PNAME_MAX 1100

/* Header flag bits (RFC 1035 4.1.1, RFC 4035 for AD and CD). */
#define DNS_F_QR 0x8000
#define DNS_F_AA 0x0400
#define DNS_F_TC 0x0200
#define DNS_F_RD 0x0100
#define DNS_F_RA 0x0080
#define DNS_F_AD 0x0020
#define DNS_F_CD 0x0010

/* Response codes netkit tells apart. */
enum {
    DNS_RC_NOERROR = 0,
    DNS_RC_FORMERR = 1,
    DNS_RC_SERVFAIL = 2,
    DNS_RC_NXDOMAIN = 3,
    DNS_RC_NOTIMP = 4,
    DNS_RC_REFUSED = 5,
};

/* The fixed header. */
struct dns_hdr {
    uint16_t id;      /* query id */
    uint16_t flags;   /* QR, opcode, AA, TC, RD, RA, AD, CD and the rcode */
    int rcode;        /* the low four bits of flags */
    uint16_t qdcount; /* questions */
    uint16_t ancount; /* answer records */
    uint16_t nscount; /* authority records */
    uint16_t arcount; /* additional records */
};

/* One resource record: owner, type, class, TTL and where its data lies in the packet. */
struct dns_rr {
    char name[DNS_PNAME_MAX]; /* owner name, presentation form with the final dot */
    uint16_t type;            /* record type */
    uint16_t rclass;          /* class (1 = IN) */
    uint32_t ttl;             /* time to live, seconds */
    size_t rdoff;             /* offset of the data in the packet */
    size_t rdlen;             /* its length */
};

/* A walk over the answer section of one packet. */
struct dns_walk {
    const uint8_t *pkt;        /* the packet (not owned) */
    size_t len;                /* its length */
    size_t off;                /* where the next record starts */
    unsigned left;             /* answer records still to read */
    struct dns_hdr hdr;        /* the header, parsed by dns_walk_init */
    char qname[DNS_PNAME_MAX]; /* the (first) question's name, "" if none */
    int qtype;                 /* its type, 0 if none */
};

/* Parse the 12-byte header. 0, or -1 with the reason in err. */
int dns_hdr_parse(const uint8_t *pkt, size_t len, struct dns_hdr *h, char err[NK_ERRLEN]);

/* Read the (possibly compressed) name at *off into out in presentation form ("." for the
 * root); *off moves past it. Each pointer must land before the previous one, so a loop cannot
 * occur. 0 or -1. */
int dns_name_read(const uint8_t *pkt, size_t len, size_t *off, char *out, size_t outlen,
                  char err[NK_ERRLEN]);

/* Parse the header and skip the questions. 0, or -1 with the reason in err. */
int dns_walk_init(struct dns_walk *w, const uint8_t *pkt, size_t len, char err[NK_ERRLEN]);

/* The next answer record: 1 with *rr filled, 0 at the end of the section, -1 if malformed. */
int dns_walk_next(struct dns_walk *w, struct dns_rr *rr, char err[NK_ERRLEN]);

/* rr's data as `dig +short` prints it, in out. 0, or -1 (malformed data, or out too small). */
int dns_rdata_format(const uint8_t *pkt, size_t len, const struct dns_rr *rr, char *out,
                     size_t outlen, char err[NK_ERRLEN]);

/* The rcode's name ("NXDOMAIN", "RCODE11"), in buf when it has none. */
const char *dns_rcode_name(int rcode, char buf[16]);

/* The set header flags as lowercase words "qr aa rd ra" (dig's order), in buf. */
const char *dns_flags_str(uint16_t flags, char *buf, size_t len);

#endif
