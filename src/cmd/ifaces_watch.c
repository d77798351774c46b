/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ifaces_watch.c - `netkit ifaces -s --watch [S]`: the rates of each interface (bytes and
 * packets per second, errors, drops) between two samples of its counters, every S seconds,
 * until Ctrl-C. The refresh loop, redraw and header are cli/watch.h's. */
#include <linux/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/msg.h"
#include "cli/out.h"
#include "cli/watch.h"
#include "cmd/ifaces.h"
#include "lib/loop.h"

static const char CMD[] = "ifaces";

/* One interface's counters at one sample. */
struct sample {
    int ifindex;
    char ifname[IFNAMSIZ];
    struct rtnl_link_stats64 st;
};

/* The counters of the links the request shows. NK_OK, or the status (message printed). */
static int take_sample(const struct ifaces_req *r, struct sample **out, size_t *n)
{
    struct ifaces_view v = {0};
    int status = ifaces_gather(r, &v);
    if (status == NK_OK)
        status = ifaces_select(r, &v);
    *out = NULL;
    *n = 0;
    if (status == NK_OK && v.nshow) {
        *out = calloc(v.nshow, sizeof(**out));
        if (!*out) {
            nk_err(CMD, "out of memory");
            status = NK_FAIL;
        }
        for (size_t i = 0; *out && i < v.nshow; i++) {
            (*out)[i].ifindex = v.show[i]->ifindex;
            memcpy((*out)[i].ifname, v.show[i]->ifname, IFNAMSIZ);
            (*out)[i].st = v.show[i]->stats;
        }
        *n = *out ? v.nshow : 0;
    }
    ifaces_view_free(&v);
    return status;
}

static const struct out_cols rate_cols = {
    .n = 7,
    .col = {{.title = "IFACE"},
            {.title = "RX B/s", .right = true},
            {.title = "RX pkt/s", .right = true},
            {.title = "TX B/s", .right = true},
            {.title = "TX pkt/s", .right = true},
            {.title = "ERRORS", .right = true},
            {.title = "DROPPED", .right = true}},
};

/* Rates between two samples, secs apart, as a table (JSON: one object per interface). */
static int show_rates(struct nk_ctx *ctx, const struct sample *cur, size_t n,
                      const struct sample *prev, size_t np, double secs, const char *when)
{
    struct out *o = out_new(stdout, ctx->json, ctx->color);
    out_table_begin(o);
    out_titles(o, &rate_cols, rate_cols.n, OUT_C_NONE);
    for (size_t i = 0; i < n; i++) {
        const struct sample *a = &cur[i], *b = NULL;
        for (size_t k = 0; k < np && !b; k++)
            if (prev[k].ifindex == a->ifindex)
                b = &prev[k];
        if (!b)
            continue; /* appeared since the last sample: rates next time */
#define RATE(f) ((a->st.f >= b->st.f ? (double)(a->st.f - b->st.f) : 0.0) / secs)
        double v[6] = {RATE(rx_bytes),
                       RATE(rx_packets),
                       RATE(tx_bytes),
                       RATE(tx_packets),
                       RATE(rx_errors) + RATE(tx_errors),
                       RATE(rx_dropped) + RATE(tx_dropped)};
#undef RATE
        static const char *const keys[6] = {"rx_bytes_per_s", "rx_packets_per_s",
                                            "tx_bytes_per_s", "tx_packets_per_s",
                                            "errors_per_s",   "dropped_per_s"};
        out_obj_begin(o, NULL);
        out_row(o, &rate_cols);
        out_str(o, OUT_C_NONE, "time", NULL, when);
        out_str(o, OUT_C_NAME, "ifname", "%s", a->ifname);
        for (int k = 0; k < 6; k++) {
            out_cell(o);
            out_dbl(o, keys[k], "%.0f", v[k]);
        }
        out_row_end(o);
        out_obj_end(o);
        if (ctx->json) { /* NDJSON: one line per interface and sample */
            if (out_close(o) < 0)
                return NK_FAIL;
            o = out_new(stdout, true, false);
        }
    }
    out_table_end(o);
    return out_close(o) < 0 ? NK_FAIL : NK_OK;
}

/* The watch's state between refreshes: the previous sample. */
struct rates {
    const struct ifaces_req *r;
    struct nk_ctx *ctx;
    struct sample *prev; /* the last sample, NULL before the first */
    size_t np;           /* its interfaces */
    uint64_t prev_us;    /* when it was taken (loop_clock_us) */
};

/* One refresh: a new sample, and the rates since the last one (none after the first). */
static int refresh(struct watch *w, void *arg)
{
    struct rates *rs = arg;
    struct sample *cur;
    size_t n;
    int status = take_sample(rs->r, &cur, &n);
    if (status != NK_OK)
        return status;
    uint64_t now_us = loop_clock_us();
    if (rs->prev) {
        watch_begin(w, NULL);
        status = show_rates(rs->ctx, cur, n, rs->prev, rs->np, (double)(now_us - rs->prev_us) / 1e6,
                            w->when);
        watch_end(w);
    }
    free(rs->prev);
    rs->prev = cur;
    rs->np = n;
    rs->prev_us = now_us;
    return status;
}

int ifaces_watch(const struct ifaces_req *r, struct nk_ctx *ctx)
{
    struct rates rs = {.r = r, .ctx = ctx};
    int status = watch_run(r->watch, ctx->json, refresh, &rs);
    free(rs.prev);
    return status;
}
