/* SPDX-License-Identifier: GPL-3.0-or-later */
/* portspec.h - port lists ("22,80,8000-8100") and single lookup arguments (PORT, LOW-HIGH or a
 * service name). Pure: parsers take a string and fill an error buffer; nothing reads files. */
#ifndef NK_PORTSPEC_H
#define NK_PORTSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/nk.h"

#define PORTSPEC_NPORTS 65536

/* A set of ports: a bitmap (sets are deduplicated and iterate in ascending order). */
struct portspec {
    uint64_t bits[PORTSPEC_NPORTS / 64]; /* bit p set when port p is in the set */
    size_t count;                        /* number of ports set */
};

/* Resolves a service name to a TCP port for port lists; returns the port or -1 if unknown.
 * NULL means names are not accepted. */
typedef int (*portspec_name_fn)(const char *name, void *arg);

/* Parse "22,80,8000-8100" (items PORT, LOW-HIGH, or a service name when name_fn is given) into
 * *ps (cleared first). Returns 0, or -1 with the reason in err: "70000: port out of range
 * (0-65535)", "10-5: empty range (10 > 5)", "'abc': unknown service", "'': empty port list",
 * "'22,,80': empty item". Every failure is bad input (exit 2). */
int portspec_parse(const char *s, struct portspec *ps, portspec_name_fn name_fn, void *arg,
                   char err[NK_ERRLEN]);

/* What one lookup argument is. */
enum portspec_kind {
    PORTSPEC_BAD = -1,  /* malformed number or range: bad input */
    PORTSPEC_PORT = 0,  /* a single port in *lo (== *hi) */
    PORTSPEC_RANGE = 1, /* LOW-HIGH in *lo, *hi */
    PORTSPEC_NAME = 2,  /* not numeric: a service name to look up */
};

/* Classify one lookup argument. A word starting with a digit must be a valid PORT or LOW-HIGH;
 * anything else non-empty is a name. PORTSPEC_BAD fills err. */
enum portspec_kind portspec_item(const char *s, int *lo, int *hi, char err[NK_ERRLEN]);

static inline bool portspec_has(const struct portspec *ps, int port)
{
    return (ps->bits[port >> 6] >> (port & 63)) & 1u;
}

void portspec_add_range(struct portspec *ps, int lo, int hi);

/* The first port >= from in the set, or -1. Iterate: for (p = next(ps, 0); p >= 0;
 * p = next(ps, p + 1)). */
int portspec_next(const struct portspec *ps, int from);

#endif
