/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ports_scan.c - `netkit ports --scan`: targets into batches of addresses, the scan, its
 * progress line (percent, rate, time left, as nmap's "About 45% done") and its report. */
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/msg.h"
#include "cli/out.h"
#include "cli/progress.h"
#include "cmd/ports_scan.h"
#include "dns/hostaddr.h"
#include "lib/loop.h"
#include "lib/num.h"
#include "lib/sig.h"
#include "ports/portspec.h"
#include "ports/scan.h"
#include "ports/services.h"
#include "ports/targets.h"

#define CMD "ports"

#define DEFAULT_TIMEOUT_MS  1000
#define DEFAULT_CONCURRENCY 1024

/* --ports accepts service names too ("ssh,http"): their port for the scan's protocol (arg:
 * "tcp" or "udp"). */
static int service_port_of(const char *name, void *arg)
{
    struct service s;
    return services_by_name(name, arg, &s) ? s.port : -1;
}

/* Listed one by one up to this many per reason; more are summarised (as nmap does), unless -v. */
#define SCAN_LIST_MAX 25
/* Addresses scanned together (one budget of sockets); a larger set runs in batches of these. */
#define SCAN_BATCH 256

/* One address to scan, and the target it came from. */
struct scan_host {
    struct net_addr addr;        /* the address */
    char host[TARGETS_ITEM_MAX]; /* the name typed, or the address itself */
    char text[NET_ADDRSTRLEN];   /* the address as text */
};

/* The whole scan: the request, the ports, the batch being filled, the totals. */
struct scan_run {
    const struct ports_req *rq;
    struct nk_ctx *ctx;
    struct portspec *ps;
    struct services_table svc;
    int ipproto;             /* IPPROTO_TCP or IPPROTO_UDP */
    const char *proto;       /* "tcp" or "udp" */
    struct scan_host *batch; /* up to SCAN_BATCH addresses */
    size_t nbatch;
    size_t scanned;          /* addresses scanned */
    size_t failed;           /* addresses or names that could not be scanned */
    struct scan_stats total; /* counts over every address */
    uint64_t start_us;       /* when the scan began */
    bool interrupted;        /* Ctrl-C */
    bool out_failed;         /* stdout could not be written */
};

static const char *scan_service(const struct scan_run *sr, int port)
{
    return services_table_name(&sr->svc, port, sr->ipproto);
}

static void show_scan(struct out *o, const struct scan_run *sr, const struct scan_host *h,
                      const struct scan_result *res, size_t i)
{
    const struct scan_stats *st = &res->host[i];
    bool verbose = sr->rq->verbose;
    out_obj_begin(o, NULL);
    out_str(o, OUT_C_NONE, "host", NULL, h->host);
    out_str(o, OUT_C_NONE, "address", NULL, h->text);
    out_str(o, OUT_C_NONE, "proto", NULL, sr->proto);
    if (strcmp(h->host, h->text) != 0)
        out_text(o, "%s (%s)\n", h->host, h->text);
    else
        out_text(o, "%s\n", h->text);
    out_u64(o, "scanned", NULL, st->done);
    out_text(o, "%-10s %-13s %-16s %s\n", "PORT", "STATE", "SERVICE", "REASON");
    /* Text: every open port, and the others by reason unless there are too many. */
    out_arr_begin(o, "open");
    for (size_t k = 0; k < res->nports; k++) {
        int p = res->ports[k];
        enum scan_state s = (enum scan_state)res->state[i * res->nports + k];
        enum scan_verdict v = scan_verdict(s);
        if (v == SCAN_V_NONE || (v != SCAN_V_OPEN && !verbose && st->by[s] > SCAN_LIST_MAX))
            continue;
        const char *svc = scan_service(sr, p);
        char pp[16];
        snprintf(pp, sizeof(pp), "%d/%s", p, sr->proto);
        if (v == SCAN_V_OPEN) {
            out_obj_begin(o, NULL);
            out_u64(o, "port", NULL, (uint64_t)p);
            out_str(o, OUT_C_NONE, "service", NULL, svc);
            out_str(o, OUT_C_NONE, "reason", NULL, scan_reason_name(s));
            out_obj_end(o);
        }
        out_text(o, "%-10s ", pp);
        out_ctext(o, v == SCAN_V_OPEN ? OUT_C_GOOD : OUT_C_BAD, "%-13s", scan_verdict_name(v));
        out_text(o, " %-16s %s\n", svc ? svc : "-", scan_reason_name(s));
    }
    out_arr_end(o);
    for (int s = SCAN_OPEN + 1; !verbose && s < SCAN_NSTATES; s++)
        if (st->by[s] > SCAN_LIST_MAX && scan_verdict((enum scan_state)s) != SCAN_V_OPEN)
            out_text(o, "not shown: %zu %s ports (%s)\n", st->by[s],
                     scan_verdict_name(scan_verdict((enum scan_state)s)),
                     scan_reason_name((enum scan_state)s));
    out_u64(o, "closed", NULL, st->closed);
    out_u64(o, "filtered", NULL, st->filtered);
    if (verbose) { /* JSON: every port with its state and reason */
        out_arr_begin(o, "ports");
        for (size_t k = 0; k < res->nports; k++) {
            enum scan_state s = (enum scan_state)res->state[i * res->nports + k];
            if (s == SCAN_UNTRIED)
                continue;
            out_obj_begin(o, NULL);
            out_u64(o, "port", NULL, (uint64_t)res->ports[k]);
            out_str(o, OUT_C_NONE, "state", NULL, scan_verdict_name(scan_verdict(s)));
            out_str(o, OUT_C_NONE, "reason", NULL, scan_reason_name(s));
            out_obj_end(o);
        }
        out_arr_end(o);
    }
    out_u64(o, "self_connections", NULL, st->self);
    out_u64(o, "elapsed_ms", NULL, st->elapsed_ms);
    out_text(o, "scanned %zu port%s in %.2f s: %zu open, %zu closed, %zu filtered", st->done,
             nk_s(st->done), (double)st->elapsed_ms / 1000.0, st->open, st->closed, st->filtered);
    if (res->stats.self && res->naddrs == 1)
        out_text(o, " (%zu self-connection%s discarded)", res->stats.self, nk_s(res->stats.self));
    if (res->interrupted)
        out_text(o, " (interrupted)");
    out_text(o, "\n");
    out_obj_end(o);
}

/* What the progress line of one batch needs. */
struct scan_line {
    struct progress line; /* on stderr, when it is a terminal */
    const char *what;     /* "10.0.0.1", "256 addresses" */
};

/* The progress line, as nmap's "About 45% done; ETC": how far, how fast, how long still. */
static void progress(const struct scan_stats *st, void *arg)
{
    struct scan_line *sl = arg;
    double s = (double)st->elapsed_ms / 1000.0;
    char left[48];
    progress_show(
        &sl->line, "scanning %s: %zu/%zu ports (%.0f%%), %.0f ports/s, %zu open%s%s", sl->what,
        st->done, st->total, st->total ? 100.0 * (double)st->done / (double)st->total : 0.0,
        s > 0 ? (double)st->done / s : 0.0, st->open, st->done ? ", " : "",
        progress_left(left, sizeof(left), progress_eta((double)st->done, (double)st->total, s)));
}

/* Scan the addresses gathered so far, print each, and empty the batch. */
static void scan_batch(struct scan_run *sr)
{
    if (!sr->nbatch || sr->interrupted || sr->out_failed)
        return;
    char err[NK_ERRLEN];
    struct net_addr *addrs = malloc(sr->nbatch * sizeof(*addrs));
    if (!addrs) {
        nk_err(CMD, "out of memory");
        sr->failed += sr->nbatch;
        sr->nbatch = 0;
        return;
    }
    for (size_t i = 0; i < sr->nbatch; i++)
        addrs[i] = sr->batch[i].addr;
    char what[NET_ADDRSTRLEN + 32];
    if (sr->nbatch == 1)
        snprintf(what, sizeof(what), "%s", sr->batch[0].text);
    else
        snprintf(what, sizeof(what), "%zu addresses", sr->nbatch);
    struct scan_line sl = {.what = what};
    progress_start(&sl.line);
    const struct ports_req *rq = sr->rq;
    struct scan_req req = {
        .addrs = addrs,
        .naddrs = sr->nbatch,
        .ports = sr->ps,
        .proto = sr->ipproto,
        .timeout_ms = rq->timeout_ms        ? rq->timeout_ms
                      : sr->ctx->timeout_ms ? sr->ctx->timeout_ms
                                            : DEFAULT_TIMEOUT_MS,
        .concurrency = rq->concurrency ? rq->concurrency : DEFAULT_CONCURRENCY,
        .progress = sl.line.on ? progress : NULL,
        .progress_arg = &sl,
    };
    struct scan_result res;
    /* Ctrl-C stops the scan: the ports done so far are shown, and the status is 1. */
    struct nk_sig_saved sig;
    nk_sig_install(false, &sig);
    int rc = scan_run(&req, &res, err);
    nk_sig_restore(&sig);
    progress_end(&sl.line); /* cleared after any ^C, before the report */
    free(addrs);
    if (rc < 0) {
        nk_err(CMD, "%s: %s", what, err);
        sr->failed += sr->nbatch;
        sr->nbatch = 0;
        return;
    }
    for (size_t i = 0; i < sr->nbatch && !sr->out_failed; i++) {
        const struct scan_stats *h = &res.host[i];
        if (!h->done && res.interrupted && i > 0)
            continue; /* never reached */
        struct out *o = out_new(stdout, sr->ctx->json, sr->ctx->color);
        if (sr->scanned && !sr->ctx->json)
            out_text(o, "\n");
        show_scan(o, sr, &sr->batch[i], &res, i);
        if (out_close(o) < 0)
            sr->out_failed = true;
        sr->scanned++;
    }
    struct scan_stats *t = &sr->total;
    t->total += res.stats.total;
    t->done += res.stats.done;
    t->open += res.stats.open;
    t->closed += res.stats.closed;
    t->filtered += res.stats.filtered;
    sr->interrupted = res.interrupted;
    scan_result_free(&res);
    sr->nbatch = 0;
}

static void scan_add(struct scan_run *sr, const struct net_addr *a, const char *host)
{
    if (sr->interrupted || sr->out_failed)
        return;
    struct scan_host *h = &sr->batch[sr->nbatch++];
    h->addr = *a;
    net_ntop((const struct sockaddr *)&a->ss, h->text, sizeof(h->text));
    snprintf(h->host, sizeof(h->host), "%s", host ? host : h->text);
    if (sr->nbatch == SCAN_BATCH)
        scan_batch(sr);
}

/* The default port set: 1-1024 and every port /etc/services names for TCP. */
static void default_ports(struct portspec *ps, const struct services_table *svc, int ipproto)
{
    memset(ps, 0, sizeof(*ps));
    portspec_add_range(ps, 1, 1024);
    for (int p = 1025; p < PORTSPEC_NPORTS; p++)
        if (services_table_name(svc, p, ipproto))
            portspec_add_range(ps, p, p);
}

int ports_scan(const struct ports_req *rq, struct nk_ctx *ctx)
{
    char err[NK_ERRLEN];
    bool udp = rq->udp && !rq->tcp; /* -u: a UDP scan */
    struct scan_run sr = {.rq = rq,
                          .ctx = ctx,
                          .ipproto = udp ? IPPROTO_UDP : IPPROTO_TCP,
                          .proto = udp ? "udp" : "tcp"};
    struct targets tg = {0};
    int status = NK_OK;
    for (int i = 0; i < rq->nscan; i++)
        if (targets_parse(rq->scan[i], rq->force, &tg, err) < 0) {
            targets_free(&tg);
            return nk_usage(CMD, "%s", err);
        }
    sr.ps = malloc(sizeof(*sr.ps));
    sr.batch = malloc(SCAN_BATCH * sizeof(*sr.batch));
    if (!sr.ps || !sr.batch) {
        nk_err(CMD, "out of memory");
        status = NK_FAIL;
        goto out;
    }
    services_table_load(&sr.svc); /* without it ports are scanned unnamed */
    if (!rq->ports)
        default_ports(sr.ps, &sr.svc, sr.ipproto);
    else if (strcmp(rq->ports, "all") == 0) {
        memset(sr.ps, 0, sizeof(*sr.ps));
        portspec_add_range(sr.ps, 1, 65535);
    } else if (portspec_parse(rq->ports, sr.ps, service_port_of, (void *)sr.proto, err) < 0) {
        status = nk_usage(CMD, "%s", err);
        goto out;
    }
    /* Names are checked before anything is scanned: a malformed one is bad input. */
    struct net_addr **named = calloc(tg.n ? tg.n : 1, sizeof(*named));
    size_t *nnamed = calloc(tg.n ? tg.n : 1, sizeof(*nnamed));
    if (!named || !nnamed) {
        free(named);
        free(nnamed);
        nk_err(CMD, "out of memory");
        status = NK_FAIL;
        goto out;
    }
    for (size_t i = 0; i < tg.n && status == NK_OK; i++) {
        if (tg.v[i].kind != TARGET_NAME)
            continue;
        struct hostaddr_req hr = {
            .host = tg.v[i].text, .family = rq->family, .timeout_ms = 0, .server = ctx->server};
        /* Names through c-ares (hosts file first); numeric addresses never touch DNS. */
        int r = hostaddr_lookup(&hr, &named[i], &nnamed[i], err);
        if (r == -2) {
            status = nk_usage(CMD, "%s", err);
        } else if (r < 0) {
            nk_err(CMD, "%s", err);
            sr.failed++;
            named[i] = NULL;
            nnamed[i] = 0;
        }
    }
    sr.start_us = loop_clock_us();
    for (size_t i = 0; i < tg.n && status == NK_OK; i++) {
        const struct target *t = &tg.v[i];
        if (t->kind == TARGET_NAME) {
            for (size_t k = 0; k < nnamed[i]; k++)
                scan_add(&sr, &named[i][k], t->text);
            continue;
        }
        uint64_t n = target_size(t);
        for (uint64_t k = 0; k < n && !sr.interrupted && !sr.out_failed; k++) {
            struct net_addr a;
            target_addr(t, k, &a);
            scan_add(&sr, &a, NULL);
        }
    }
    if (status == NK_OK)
        scan_batch(&sr);
    for (size_t i = 0; i < tg.n; i++)
        free(named[i]);
    free(named);
    free(nnamed);
    if (status != NK_OK)
        goto out;
    if (sr.scanned > 1 && !ctx->json && !sr.out_failed) {
        double secs = (double)(loop_clock_us() - sr.start_us) / 1e6;
        printf("\n%zu addresses, %zu port%s in %.2f s: %zu open, %zu closed, %zu filtered\n",
               sr.scanned, sr.total.done, nk_s(sr.total.done), secs, sr.total.open, sr.total.closed,
               sr.total.filtered);
    }
    /* 0 when the scan ran, whatever it found; 1 when nothing could be scanned (or Ctrl-C). */
    if (!sr.scanned || sr.interrupted || sr.out_failed)
        status = NK_FAIL;
out:
    services_table_free(&sr.svc);
    targets_free(&tg);
    free(sr.ps);
    free(sr.batch);
    return status;
}
