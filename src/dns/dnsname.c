/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsname.c - query names, type names, server specs and reverse names: pure string work. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/err.h"
#include "dns/dnsname.h"
#include "dns/idn.h"
#include "lib/num.h"

/* Types by name. The order is the one completion offers: the common ones first. */
static const struct {
    const char *name; /* presentation name */
    int type;         /* its number */
} types[] = {
    {"A", DNS_T_A},
    {"AAAA", DNS_T_AAAA},
    {"CNAME", DNS_T_CNAME},
    {"MX", DNS_T_MX},
    {"NS", DNS_T_NS},
    {"PTR", DNS_T_PTR},
    {"SOA", DNS_T_SOA},
    {"SRV", DNS_T_SRV},
    {"TXT", DNS_T_TXT},
    {"CAA", DNS_T_CAA},
    {"NAPTR", DNS_T_NAPTR},
    {"ANY", DNS_T_ANY},
    {"DNAME", DNS_T_DNAME},
    {"DS", DNS_T_DS},
    {"DNSKEY", DNS_T_DNSKEY},
    {"CDS", DNS_T_CDS},
    {"CDNSKEY", DNS_T_CDNSKEY},
    {"HINFO", DNS_T_HINFO},
    {"HTTPS", DNS_T_HTTPS},
    {"NSEC", DNS_T_NSEC},
    {"NSEC3", DNS_T_NSEC3},
    {"NSEC3PARAM", DNS_T_NSEC3PARAM},
    {"OPENPGPKEY", DNS_T_OPENPGPKEY},
    {"OPT", DNS_T_OPT},
    {"RRSIG", DNS_T_RRSIG},
    {"SPF", DNS_T_SPF},
    {"SSHFP", DNS_T_SSHFP},
    {"SVCB", DNS_T_SVCB},
    {"TLSA", DNS_T_TLSA},
    {"URI", DNS_T_URI},
    {"LOC", DNS_T_LOC},
    {"CERT", DNS_T_CERT},
    {"SMIMEA", DNS_T_SMIMEA},
    {"ZONEMD", DNS_T_ZONEMD},
    {"CSYNC", DNS_T_CSYNC},
    {"EUI48", DNS_T_EUI48},
    {"EUI64", DNS_T_EUI64},
    {"RP", DNS_T_RP},
    {"AFSDB", DNS_T_AFSDB},
    {"KX", DNS_T_KX},
    {"IPSECKEY", DNS_T_IPSECKEY},
    {"DHCID", DNS_T_DHCID},
    {"APL", DNS_T_APL},
    {"MINFO", DNS_T_MINFO},
    {"RT", DNS_T_RT},
    {"X25", DNS_T_X25},
    {"ISDN", DNS_T_ISDN},
    {"NID", DNS_T_NID},
    {"L32", DNS_T_L32},
    {"L64", DNS_T_L64},
    {"LP", DNS_T_LP},
    /* Named as dig (BIND 9.18) names them; those without a DNS_T_ name print in RFC 3597 form. */
    {"MD", DNS_T_MD},
    {"MF", DNS_T_MF},
    {"MB", DNS_T_MB},
    {"MG", DNS_T_MG},
    {"MR", DNS_T_MR},
    {"NULL", 10},
    {"WKS", DNS_T_WKS},
    {"NSAP", DNS_T_NSAP},
    {"NSAP-PTR", 23},
    {"SIG", DNS_T_SIG},
    {"KEY", DNS_T_KEY},
    {"PX", DNS_T_PX},
    {"GPOS", DNS_T_GPOS},
    {"NXT", DNS_T_NXT},
    {"EID", DNS_T_EID},
    {"NIMLOC", DNS_T_NIMLOC},
    {"ATMA", DNS_T_ATMA},
    {"A6", DNS_T_A6},
    {"SINK", DNS_T_SINK},
    {"HIP", DNS_T_HIP},
    {"NINFO", DNS_T_NINFO},
    {"RKEY", DNS_T_RKEY},
    {"TALINK", DNS_T_TALINK},
    {"DSYNC", DNS_T_DSYNC},
    {"HHIT", DNS_T_HHIT},
    {"BRID", DNS_T_BRID},
    {"UINFO", 100},
    {"UID", 101},
    {"GID", 102},
    {"UNSPEC", 103},
    {"TKEY", 249},
    {"TSIG", 250},
    {"IXFR", 251},
    {"AXFR", 252},
    {"MAILB", 253},
    {"MAILA", 254},
    {"AVC", DNS_T_AVC},
    {"DOA", DNS_T_DOA},
    {"AMTRELAY", DNS_T_AMTRELAY},
    {"RESINFO", DNS_T_RESINFO},
    {"WALLET", DNS_T_WALLET},
    {"TA", DNS_T_TA},
    {"DLV", DNS_T_DLV},
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

const char *const dns_type_names[] = {
    "A",     "AAAA",  "CNAME", "MX",         "NS",         "PTR",    "SOA",   "SRV",     "TXT",
    "CAA",   "NAPTR", "ANY",   "DNAME",      "DS",         "DNSKEY", "CDS",   "CDNSKEY", "HINFO",
    "HTTPS", "NSEC",  "NSEC3", "NSEC3PARAM", "OPENPGPKEY", "RRSIG",  "SPF",   "SSHFP",   "SVCB",
    "TLSA",  "URI",   "LOC",   "CERT",       "SMIMEA",     "ZONEMD", "CSYNC", "EUI48",   "EUI64",
    "RP",    "AFSDB", "KX",    "IPSECKEY",   "DHCID",      "APL",    NULL,
};

/* A name quoted for a message: long ones are cut so the message stays readable. */
static const char *shown(const char *s, char buf[80])
{
    if (strlen(s) <= 64)
        return s;
    snprintf(buf, 80, "%.60s...", s);
    return buf;
}

int dns_name_check(const char *name, char err[NK_ERRLEN])
{
    char sb[80];
    size_t len = strlen(name);
    if (len == 0)
        return nk_seterr(err, "'': empty name");
    if (strcmp(name, ".") == 0)
        return 0; /* the root: asked for NS or SOA */
    /* No name holds ':' or brackets: what does can only be a broken address. */
    if (strchr(name, ':') || name[0] == '[')
        return nk_seterr(err, "'%s': not an IP address", shown(name, sb));
    size_t body = name[len - 1] == '.' ? len - 1 : len;
    if (len >= 2 && name[len - 1] == '.' && name[len - 2] == '\\')
        body = len; /* an escaped dot at the end is part of the last label */
    size_t label = 0;
    for (size_t i = 0; i < body; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == '.') {
            if (label == 0)
                return nk_seterr(err, "'%s': empty label", shown(name, sb));
            label = 0;
            continue;
        }
        /* Letters, digits, '-', '_' (_sip._tcp), '*' (wildcards), and any printable
         * character escaped with a backslash as dig takes it (weird\.dot: a dot inside a
         * label); '\DDD' is not taken. */
        if (c == '\\' && i + 1 < len && name[i + 1] > 0x20 && name[i + 1] < 0x7f &&
            !isdigit((unsigned char)name[i + 1]))
            c = (unsigned char)name[++i];
        else if (!isalnum(c) && c != '-' && c != '_' && c != '*')
            return nk_seterr(err, "'%s': invalid character in name", shown(name, sb));
        if (++label > 63)
            return nk_seterr(err, "'%s': label longer than 63 bytes", shown(name, sb));
    }
    if (label == 0)
        return nk_seterr(err, "'%s': empty label", shown(name, sb));
    if (body > 253)
        return nk_seterr(err, "'%s': name longer than 253 bytes", shown(name, sb));
    return 0;
}

int dns_name_to_ascii(const char *name, char out[DNS_NAME_BUF], char err[NK_ERRLEN])
{
    bool ascii = true;
    char sb[80];
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p >= 0x80)
            ascii = false;
    if (ascii) {
        if (dns_name_check(name, err) < 0)
            return -1;
        memcpy(out, name, strlen(name) + 1); /* checked: at most 254 bytes */
        return 0;
    }
    char *conv = NULL, why[NK_ERRLEN];
    if (idn_to_ascii(name, &conv, why) < 0)
        return nk_seterr(err, "'%s': not a valid international name (%s)", shown(name, sb), why);
    int r = dns_name_check(conv, err);
    if (r == 0)
        memcpy(out, conv, strlen(conv) + 1); /* checked: at most 254 bytes */
    free(conv);
    return r;
}

int dns_type_parse(const char *s, int *type, char err[NK_ERRLEN])
{
    char e2[NK_ERRLEN];
    long long v;
    for (size_t i = 0; i < NTYPES; i++)
        if (strcasecmp(s, types[i].name) == 0) {
            *type = types[i].type;
            return 0;
        }
    const char *num = s;
    if (strncasecmp(s, "TYPE", 4) == 0)
        num = s + 4;
    if (*num >= '0' && *num <= '9' && nk_parse_num(num, 1, 65535, "type", &v, e2) == 0) {
        *type = (int)v;
        return 0;
    }
    return nk_seterr(err, "'%s': unknown record type", s);
}

int dns_type_list_parse(const char *s, int *out, int max, int *n, char err[NK_ERRLEN])
{
    char item[64];
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        if (l == 0 || l >= sizeof(item))
            return nk_seterr(err, "'%.*s': unknown record type", (int)(l > 60 ? 60 : l), p);
        memcpy(item, p, l);
        item[l] = '\0';
        if (*n >= max)
            return nk_seterr(err, "'%s': too many types (at most %d)", s, max);
        if (dns_type_parse(item, &out[*n], err) < 0)
            return -1;
        (*n)++;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

const char *dns_type_name(int type, char buf[DNS_TYPE_BUF])
{
    for (size_t i = 0; i < NTYPES; i++)
        if (types[i].type == type)
            return types[i].name;
    snprintf(buf, DNS_TYPE_BUF, "TYPE%d", type & 0xffff);
    return buf;
}

/* One server: ADDR, ADDR:PORT, [V6]:PORT (net_parse_hostport), or dig's ADDR#PORT, which
 * needs no brackets around an IPv6 address (::1#5300, [::1]#5300). */
static int server_parse(const char *item, struct net_addr *a, char err[NK_ERRLEN])
{
    const char *hash = strrchr(item, '#');
    if (!hash)
        return net_parse_hostport(item, 53, a, err);
    char host[NET_ADDRSTRLEN];
    const char *h = item;
    size_t hl = (size_t)(hash - item);
    if (hl >= 2 && item[0] == '[' && item[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl == 0 || hl >= sizeof(host) || memchr(h, '[', hl) || memchr(h, ']', hl) ||
        memchr(h, '#', hl))
        return nk_seterr(err, "'%s': not an IP address", item);
    memcpy(host, h, hl);
    host[hl] = '\0';
    int port;
    if (!hash[1])
        return nk_seterr(err, "'%s': missing port after '#'", item);
    if (net_parse_port(hash + 1, &port, err) < 0)
        return -1;
    if (net_parse_ip(host, port, a, err) < 0) {
        if (!strstr(err, "scope"))
            nk_seterr(err, "'%s': not an IP address", item);
        return -1;
    }
    return 0;
}

int dns_servers_parse(const char *spec, struct net_addr *out, int max, int *n, char err[NK_ERRLEN])
{
    char item[NET_ADDRSTRLEN];
    const char *p = spec;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        if (l == 0)
            return nk_seterr(err, "'%s': empty server in list", spec);
        if (l >= sizeof(item))
            return nk_seterr(err, "'%.*s...': not an IP address", 40, p);
        memcpy(item, p, l);
        item[l] = '\0';
        if (*n >= max)
            return nk_seterr(err, "'%s': too many servers (at most %d)", spec, max);
        if (server_parse(item, &out[*n], err) < 0) {
            char *r = strstr(err, "(0-65535)");
            if (r)
                r[1] = '1'; /* a server's port is never 0: the range said for ':0' too */
            return -1;
        }
        if (net_port((struct sockaddr *)&out[*n].ss) == 0)
            return nk_seterr(err, "%s: port out of range (1-65535)", item);
        (*n)++;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

int dns_servers_csv(const struct net_addr *srv, int n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        char a[NET_ADDRSTRLEN];
        const struct sockaddr *sa = (const struct sockaddr *)&srv[i].ss;
        /* c-ares 1.18 has no syntax for an IPv6 scope: the bare address is the best it takes. */
        net_ntop_port(sa, a, sizeof(a));
        int w = snprintf(buf + used, len - used, "%s%s", i ? "," : "", a);
        if (w < 0 || (size_t)w >= len - used)
            return -1;
        used += (size_t)w;
    }
    return 0;
}

int dns_reverse_name(const char *s, char *out, size_t len)
{
    unsigned char b[16];
    char a[64];
    /* "[::1]" and "fe80::1%lo": the address without brackets or scope (a PTR name has none). */
    size_t n = strlen(s), skip = s[0] == '[' && n > 2 && s[n - 1] == ']';
    const char *pct = strchr(s, '%');
    if (pct || skip) {
        size_t l = (pct ? (size_t)(pct - s) : n - skip) - skip;
        if (l >= sizeof(a) || !strchr(s, ':'))
            return 0;
        memcpy(a, s + skip, l);
        a[l] = '\0';
        s = a;
    }
    if (inet_pton(AF_INET, s, b) == 1) {
        snprintf(out, len, "%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1], b[0]);
        return 1;
    }
    if (inet_pton(AF_INET6, s, b) != 1)
        return 0;
    static const char hex[] = "0123456789abcdef";
    char tmp[16 * 4 + 16];
    size_t k = 0;
    for (int i = 15; i >= 0; i--) {
        tmp[k++] = hex[b[i] & 15];
        tmp[k++] = '.';
        tmp[k++] = hex[b[i] >> 4];
        tmp[k++] = '.';
    }
    tmp[k] = '\0';
    snprintf(out, len, "%sip6.arpa", tmp);
    return 1;
}
