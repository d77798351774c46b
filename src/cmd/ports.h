/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ports.h - inside `netkit ports`: the socket listing (ports.c), shared with its live view
 * (ports_watch.c). The request is ports_scan.h's struct ports_req. */
#ifndef NK_PORTS_H
#define NK_PORTS_H

#include <stdbool.h>

#include "cli/out.h"
#include "cmd/ports_scan.h"
#include "lib/nk.h"
#include "ports/sockdiag.h"

/* How ports_show_sockets prints: a plain listing, a watch refresh, or watch events. */
struct ports_show {
    const char *mark;  /* text: a mark per socket ('+', '-', ' ') before its protocol, or NULL */
    const char *event; /* JSON: each socket a bare object with this "event" (NDJSON), or NULL */
    const char *when;  /* with event: its "time" */
};

/* The sockets the request lists, filtered, with their processes (-p), sorted. NK_OK, or the
 * status to return (the message printed). quiet: no note about hidden processes. */
int ports_collect(const struct ports_req *rq, struct sockvec *out, bool quiet);
/* Print the sockets, aligned (how NULL: the plain listing). */
void ports_show_sockets(struct out *o, const struct sockvec *v, bool procs,
                        const struct ports_show *how);

/* --watch: the listing refreshed until Ctrl-C (ports_watch.c); the exit status. */
int ports_watch(const struct ports_req *rq, struct nk_ctx *ctx);

#endif
