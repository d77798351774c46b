/* SPDX-License-Identifier: GPL-3.0-or-later */
/* targets.h - what a scan aims at: "10.0.0.0/28,db.example,::1", items of a comma-separated
 * list (the --scan option may be repeated: each list appends). An item is a numeric address
 * (IPv6 optionally [bracketed], with %scope), a CIDR block ADDR/LEN (host bits are cleared, as
 * nmap does), or a host name (resolved later by the caller: every address of it is scanned).
 * Pure: nothing here resolves names or reads files. */
#ifndef NK_TARGETS_H
#define NK_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/net.h"

/* Blocks larger than these need force: /16 for IPv4, /112 for IPv6 (65,536 addresses). */
#define TARGETS_MIN_PREFIX4 16
#define TARGETS_MIN_PREFIX6 112
/* No block larger than this many addresses, even with force (a /8 of IPv4). */
#define TARGETS_MAX_BLOCK (1ull << 24)
/* Longest item kept (a host name is at most 253 characters). */
#define TARGETS_ITEM_MAX 256

enum target_kind {
    TARGET_ADDR, /* one numeric address, in base */
    TARGET_CIDR, /* a block: base (host bits clear) and prefix */
    TARGET_NAME, /* a host name, in text */
};

/* One item of the list. */
struct target {
    enum target_kind kind;
    char text[TARGETS_ITEM_MAX]; /* the item as typed, without brackets */
    struct net_addr base;        /* ADDR and CIDR: the address (port 0) */
    int prefix;                  /* CIDR: prefix length; ADDR: 32 or 128 */
};

/* The targets of a scan, in the order given (duplicates kept: the caller scans what it is
 * told). */
struct targets {
    struct target *v;
    size_t n, cap;
};

/* Append the items of the list s. force allows blocks larger than the TARGETS_MIN_PREFIX*.
 * 0, or -1 with the reason (every failure is bad input): "'': empty target", "'a,,b': empty
 * item", "'10.0.0.0/33': prefix length out of range (0-32)", "'10.0.0.0/8': 16777216
 * addresses, more than /16: add --force", "'a/24': not an address block"; -1 with "out of
 * memory" too (err says so). */
int targets_parse(const char *s, bool force, struct targets *t, char err[NK_ERRLEN]);

/* How many addresses a target stands for: 1 for ADDR, 2^(bits - prefix) for CIDR, 0 for a
 * NAME (unknown until resolved). */
uint64_t target_size(const struct target *t);

/* The i-th address of an ADDR or CIDR target (i < target_size), port 0. */
void target_addr(const struct target *t, uint64_t i, struct net_addr *a);

void targets_free(struct targets *t);

/* One ADDR or ADDR/LEN for matching (--local, --peer): no names, no size limits. 0, or -1
 * with the reason ("'x': not an address or ADDR/LEN"). */
int target_prefix_parse(const char *s, struct target *t, char err[NK_ERRLEN]);

/* True when the raw address (4 or 16 bytes, network order) of family lies in t's block (an
 * IPv4 block also matches IPv4-mapped IPv6 addresses ::ffff:a.b.c.d). */
bool target_match(const struct target *t, int family, const uint8_t *raw);

#endif
