/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nk.h - what every part of netkit shares: exit statuses, the error buffer size, the run context.
 */
#ifndef NK_H
#define NK_H

#include <stdbool.h>
#include <stddef.h>

/* Exit statuses, as every man page's EXIT STATUS section defines them. */
enum nk_status {
    NK_OK = 0,    /* the work ran and succeeded */
    NK_FAIL = 1,  /* the work ran and failed (not found, refused, timed out, ...) */
    NK_USAGE = 2, /* bad usage or bad input */
};

/* Modules never print: they fill a caller's buffer of this size with "WHAT: WHY". */
#define NK_ERRLEN 256

/* The default wait for a peer (connect, an echo, a name lookup) when none is given, in ms.
 * The scan's per-port wait and resolve's per-try wait are shorter, and documented apart. */
#define NK_TIMEOUT_MS 5000

/* A macro's value as a string literal, for help texts: NK_STR(NK_TIMEOUT_MS) is "5000". */
#define NK_STR_(x) #x
#define NK_STR(x)  NK_STR_(x)

/* What a command receives besides argv: settings from global options and the shell's `set`. */
struct nk_ctx {
    bool json;          /* --json given before or after the command, or `set json on` */
    bool color;         /* colour resolved: --color, NO_COLOR and isatty(stdout) */
    int color_mode;     /* 0 auto, 1 always, 2 never: kept so a command's --color can change it */
    const char *server; /* --dns or the shell's `set server`: DNS servers "ADDR[:PORT],..." for
                           every name lookup (a command's own -s wins); NULL: resolv.conf's */
    int timeout_ms;     /* shell `set timeout`: default timeout, 0 if unset */
};

#endif
