/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ports_scan.h - `netkit ports --scan`: the scan run and its report (ports_scan.c), and the
 * request the ports command parses for it and for its listings (ports.c). */
#ifndef NK_PORTS_SCAN_H
#define NK_PORTS_SCAN_H

#include <stdbool.h>

#include "lib/nk.h"

/* What the command line asks for. */
struct ports_req {
    bool all;          /* -a */
    bool tcp, udp;     /* -t, -u: protocols shown (both when neither is given) */
    bool procs;        /* -p */
    bool listening;    /* -l */
    bool numeric;      /* -n */
    unsigned states;   /* --state: bit i for state_names[i], 0 for no filter */
    const char *local; /* --local ADDR[/LEN], or NULL */
    const char *peer;  /* --peer ADDR[/LEN], or NULL */
    int watch;         /* --watch: seconds between refreshes, 0 for no watch */
    const char **scan; /* --scan TARGETS, each time it was given */
    int nscan;         /* how many */
    bool force;        /* --force */
    bool verbose;      /* -v */
    const char *ports; /* --ports SPEC, or NULL */
    int timeout_ms;    /* --timeout, 0 if not given */
    int concurrency;   /* -c, 0 if not given */
    int family;        /* -4 / -6: AF_INET or AF_INET6, AF_UNSPEC for both */
    int nargs;         /* positional arguments: lookups */
    char **args;       /* them */
};

/* Run the scan rq asks for and print its report; the command's exit status. Ctrl-C stops it:
 * the ports done so far are shown, and the status is 1. */
int ports_scan(const struct ports_req *rq, struct nk_ctx *ctx);

#endif
