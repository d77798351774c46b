/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hostinfo.h - the host-wide part of `ipconfig /all`: host name, default gateways (from a route
 * dump) and the resolver's servers and search domains (from resolv.conf). The resolv.conf and
 * gateway parts are pure: they take a buffer or a table. Nothing here prints. */
#ifndef NK_HOSTINFO_H
#define NK_HOSTINFO_H

#include <stddef.h>

#include "link/links.h"
#include "lib/nk.h"

/* Most servers and search domains kept (glibc uses 3 and 6; we show what the file says). */
#define NK_RESOLV_MAX 16
/* Longest server or domain kept (a domain name is at most 253 characters). */
#define NK_RESOLV_NAMELEN 256

/* The resolver configuration that matters to a user. */
struct nk_resolv {
    int nservers;                                   /* entries in servers[] */
    char servers[NK_RESOLV_MAX][NK_RESOLV_NAMELEN]; /* "nameserver" addresses, in file order */
    int nsearch;                                    /* entries in search[] */
    char search[NK_RESOLV_MAX][NK_RESOLV_NAMELEN];  /* search list (the last search/domain line) */
};

/* The default path; NETKIT_RESOLV_CONF overrides it (tests). */
#define NK_RESOLV_CONF "/etc/resolv.conf"

/* Parse resolv.conf text as resolv.conf(5) reads it: "nameserver ADDR" lines add a server;
 * "search D..." or "domain D" replaces the search list (the last one wins); '#' and ';' start
 * comments; other keywords are ignored. Never fails. */
void nk_resolv_parse(const char *buf, size_t len, struct nk_resolv *r);

/* Read path (NULL: $NETKIT_RESOLV_CONF, else NK_RESOLV_CONF) and parse it. A missing file is an
 * empty configuration (0); another read error is -1 with "PATH: WHY" in err. */
int nk_resolv_read(const char *path, struct nk_resolv *r, char err[NK_ERRLEN]);

/* This host's name (gethostname). 0, or -1 with "host name: WHY" in err. */
int nk_hostname(char *buf, size_t len, char err[NK_ERRLEN]);

/* A default gateway. */
struct nk_gateway {
    int family;       /* AF_INET or AF_INET6 (of the gateway address) */
    uint8_t addr[16]; /* its address */
    int oif;          /* output interface index, 0 if unknown */
    uint32_t metric;  /* route priority */
};

/* The default gateways in t's routes (main table, unicast, prefix length 0, with a gateway),
 * IPv4 first, each family by metric. Fills up to max; returns how many. */
size_t nk_gateways(const struct nk_table *t, struct nk_gateway *gw, size_t max);

#endif
