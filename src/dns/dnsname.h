/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsname.h - the pure parsers behind `netkit resolve`: query names (length and label rules,
 * IDN to punycode), record type names and numbers, DNS server specs, reverse-lookup names.
 * Nothing here prints, exits or touches the network. */
#ifndef NK_DNSNAME_H
#define NK_DNSNAME_H

#include <stddef.h>
#include "lib/net.h"
#include "lib/nk.h"

/* A query name in ASCII, with room for 253 characters, a trailing dot and the NUL. */
#define DNS_NAME_BUF 256
/* "TYPE65535" and the NUL. */
#define DNS_TYPE_BUF 12
/* At most this many servers in one -s list (more is a usage error, not a silent cut). */
#define DNS_MAX_SERVERS 16

/* Record types netkit prints in presentation form (also ANY, which only a query may use).
 * Others dig knows by name are named in dnsname.c's table (a type bitmap names them). */
enum {
    DNS_T_A = 1,
    DNS_T_NS = 2,
    DNS_T_MD = 3,
    DNS_T_MF = 4,
    DNS_T_CNAME = 5,
    DNS_T_SOA = 6,
    DNS_T_MB = 7,
    DNS_T_MG = 8,
    DNS_T_MR = 9,
    DNS_T_WKS = 11,
    DNS_T_PTR = 12,
    DNS_T_HINFO = 13,
    DNS_T_MINFO = 14,
    DNS_T_MX = 15,
    DNS_T_TXT = 16,
    DNS_T_RP = 17,
    DNS_T_AFSDB = 18,
    DNS_T_X25 = 19,
    DNS_T_ISDN = 20,
    DNS_T_RT = 21,
    DNS_T_NSAP = 22,
    DNS_T_SIG = 24,
    DNS_T_KEY = 25,
    DNS_T_PX = 26,
    DNS_T_GPOS = 27,
    DNS_T_AAAA = 28,
    DNS_T_LOC = 29,
    DNS_T_NXT = 30,
    DNS_T_EID = 31,
    DNS_T_NIMLOC = 32,
    DNS_T_SRV = 33,
    DNS_T_ATMA = 34,
    DNS_T_NAPTR = 35,
    DNS_T_KX = 36,
    DNS_T_CERT = 37,
    DNS_T_A6 = 38,
    DNS_T_DNAME = 39,
    DNS_T_SINK = 40,
    DNS_T_OPT = 41,
    DNS_T_APL = 42,
    DNS_T_DS = 43,
    DNS_T_SSHFP = 44,
    DNS_T_IPSECKEY = 45,
    DNS_T_RRSIG = 46,
    DNS_T_NSEC = 47,
    DNS_T_DNSKEY = 48,
    DNS_T_DHCID = 49,
    DNS_T_NSEC3 = 50,
    DNS_T_NSEC3PARAM = 51,
    DNS_T_TLSA = 52,
    DNS_T_SMIMEA = 53,
    DNS_T_HIP = 55,
    DNS_T_NINFO = 56,
    DNS_T_RKEY = 57,
    DNS_T_TALINK = 58,
    DNS_T_CDS = 59,
    DNS_T_CDNSKEY = 60,
    DNS_T_OPENPGPKEY = 61,
    DNS_T_CSYNC = 62,
    DNS_T_ZONEMD = 63,
    DNS_T_SVCB = 64,
    DNS_T_HTTPS = 65,
    DNS_T_DSYNC = 66,
    DNS_T_HHIT = 67,
    DNS_T_BRID = 68,
    DNS_T_SPF = 99,
    DNS_T_NID = 104,
    DNS_T_L32 = 105,
    DNS_T_L64 = 106,
    DNS_T_LP = 107,
    DNS_T_EUI48 = 108,
    DNS_T_EUI64 = 109,
    DNS_T_ANY = 255,
    DNS_T_URI = 256,
    DNS_T_CAA = 257,
    DNS_T_AVC = 258,
    DNS_T_DOA = 259,
    DNS_T_AMTRELAY = 260,
    DNS_T_RESINFO = 261,
    DNS_T_WALLET = 262,
    DNS_T_TA = 32768,
    DNS_T_DLV = 32769,
};

/* The type names offered by completion and --help (NULL-terminated). */
extern const char *const dns_type_names[];

/* Check an ASCII name: not empty, no empty label (".." or a leading dot; "." alone is the root),
 * labels of at most 63 bytes, at most 253 bytes without the final dot, printable characters
 * only (underscores are fine: _sip._tcp.example). 0, or -1 with the reason in err. */
int dns_name_check(const char *name, char err[NK_ERRLEN]);

/* name (UTF-8, possibly Unicode) to its ASCII form in out (punycode labels via libidn2 where
 * needed), then dns_name_check. 0, or -1 with the reason in err. */
int dns_name_to_ascii(const char *name, char out[DNS_NAME_BUF], char err[NK_ERRLEN]);

/* A type by name (case-insensitive: "mx"), or "TYPEnnn" (1-65535), or a bare number.
 * 0 with *type set, or -1 with "'S': unknown record type" in err. */
int dns_type_parse(const char *s, int *type, char err[NK_ERRLEN]);

/* A comma-separated list of types, appended to types[*n] (at most max in all). */
int dns_type_list_parse(const char *s, int *types, int max, int *n, char err[NK_ERRLEN]);

/* The name of a type ("MX"), or "TYPEnnn" in buf for one without a name. */
const char *dns_type_name(int type, char buf[DNS_TYPE_BUF]);

/* A comma-separated server list "ADDR[:PORT],[V6]:PORT,ADDR#PORT,..." (numeric addresses,
 * default port 53; dig's ADDR#PORT takes an IPv6 address with or without brackets), appended to
 * out[*n] (at most max in all). 0, or -1 naming the bad item in err. */
int dns_servers_parse(const char *spec, struct net_addr *out, int max, int *n, char err[NK_ERRLEN]);

/* The servers as the CSV c-ares 1.18 takes ("127.0.0.1:53,[::1]:5300"). 0, or -1 if too long. */
int dns_servers_csv(const struct net_addr *srv, int n, char *buf, size_t len);

/* If s is a numeric IPv4 or IPv6 address, its reverse name ("10.2.0.192.in-addr.arpa" or the
 * ip6.arpa nibbles) in out and 1; 0 if s is not an address. */
int dns_reverse_name(const char *s, char *out, size_t len);

#endif
