/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_resolve.c - netkit resolve: DNS lookups through c-ares.
 *
 *   netkit resolve [OPTIONS] NAME|ADDRESS...
 *   netkit resolve [OPTIONS] -f FILE|-
 *
 * Without -t a NAME gives its addresses (hosts file first, then A and AAAA from DNS with the
 * search list) and an ADDRESS its PTR. -t asks DNS for any type. Output: one line per record,
 * `NAME  TYPE  TTL  DATA` with DATA as `dig +short` prints it; --json: one object per query.
 * Exit 1 when any query ended without an answer (NXDOMAIN included), 2 on bad input.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>

#include "lib/err.h"
#include "cli/commands.h"
#include "dns/dns.h"
#include "dns/dnsbatch.h"
#include "dns/dnsfmt.h"
#include "dns/dnsname.h"
#include "lib/loop.h"
#include "lib/sig.h"
#include "cli/msg.h"
#include "cli/out.h"
#include "cmd/resolve_progress.h"

#define CMD "resolve"
/* Most -t types at once. */
#define MAX_TYPES 32
/* Defaults: a lost UDP answer is asked again after 2 s; two tries per server. */
#define DEF_TIMEOUT_MS  2000
#define DEF_TRIES       2
#define DEF_CONCURRENCY 500

enum {
    OPT_TYPE = 1,
    OPT_V4,
    OPT_V6,
    OPT_SERVER,
    OPT_TCP,
    OPT_TIMEOUT,
    OPT_TRIES,
    OPT_NO_HOSTS,
    OPT_NO_SEARCH,
    OPT_FILE,
    OPT_CONC,
    OPT_VERBOSE,
};

static const struct nk_opt opts[] = {
    NK_OPT_STR(OPT_TYPE, 't', "type", "TYPE",
               "record type to ask DNS for (A MX TXT SRV CAA ... or TYPEnnn); repeatable",
               .choices = dns_type_names, .comp = NK_COMP_CHOICES),
    NK_OPT_FLAG(OPT_V4, '4', "ipv4", "only IPv4 addresses"),
    NK_OPT_FLAG(OPT_V6, '6', "ipv6", "only IPv6 addresses"),
    NK_OPT_STR(OPT_SERVER, 's', "server", "ADDR[:PORT]",
               "DNS server(s) to ask; repeatable or comma separated; [v6]:port"),
    NK_OPT_FLAG(OPT_TCP, 0, "tcp", "query over TCP"),
    NK_OPT_INT(OPT_TIMEOUT, 0, "timeout", "MS", 1, 600000,
               "per-try timeout in milliseconds, default 2000"),
    NK_OPT_INT(OPT_TRIES, 0, "tries", "N", 1, 10, "tries per server, default 2"),
    NK_OPT_FLAG(OPT_NO_HOSTS, 0, "no-hosts", "skip the hosts file"),
    NK_OPT_FLAG(OPT_NO_SEARCH, 0, "no-search", "no search-domain expansion"),
    NK_OPT_STR(OPT_FILE, 'f', "file", "FILE",
               "names to resolve, one per line ('-' = stdin), resolved concurrently",
               .comp = NK_COMP_FILE),
    NK_OPT_INT(OPT_CONC, 'c', "concurrency", "N", 1, 100000,
               "most queries in flight, default 500 (adapts to loss)"),
    NK_OPT_FLAG(OPT_VERBOSE, 'v', "verbose",
                "show the server that answered, query time, rcode and flags"),
    NK_OPT_END,
};

extern const struct nk_command nk_cmd_resolve;

/* The command line, parsed. */
struct req {
    int types[MAX_TYPES];                     /* -t, in order */
    int ntypes;                               /* how many */
    int family;                               /* AF_UNSPEC, or -4 / -6 */
    struct net_addr servers[DNS_MAX_SERVERS]; /* -s */
    int nservers;                             /* how many */
    bool tcp, no_hosts, no_search, verbose;   /* flags */
    int timeout_ms, tries;                    /* per try */
    const char *file;                         /* -f, or NULL */
    unsigned concurrency;                     /* -c */
};

/* What the emit callback needs. */
struct printer {
    struct out *o;               /* stdout */
    const struct req *rq;        /* options */
    struct resolve_progress *rp; /* a batch's progress line and streaming, or NULL */
};

/* "no such name (NXDOMAIN)" and friends, for stderr. */
static void report_failure(struct printer *p, const struct dnsb_item *it)
{
    char tb[DNS_TEXT_BUF];
    (void)p; /* a progress line moves below the message by itself (cli/progress.h) */
    if (it->bad)
        nk_err(CMD, "%s", it->res.error);
    else
        nk_err(CMD, "%s: %s", it->query, dns_status_text(&it->res, it->type, tb));
}

/* An answer's line: NAME  TYPE  TTL  DATA (TTL "hosts" for the hosts file's answers). */
static const struct out_cols answer_cols = {
    .n = 4,
    .col = {{.gap = "  "}, {.gap = "  "}, {.gap = "  "}, {0}},
};

static void emit(void *arg, const struct dnsb_item *it)
{
    struct printer *p = arg;
    struct out *o = p->o;
    const struct dns_result *r = &it->res;
    char tb[DNS_TYPE_BUF], rb[16], fb[40];
    const char *tname = it->type ? dns_type_name(it->type, tb) : "ADDR";

    if (p->rp)
        resolve_progress_result(p->rp, r->status == DNS_S_NOERROR && !it->bad);
    out_obj_begin(o, NULL);
    out_str(o, OUT_C_NONE, "query", NULL, it->query);
    out_str(o, OUT_C_NONE, "type", NULL, tname);
    out_str(o, OUT_C_NONE, "status", NULL, dns_status_name(r->status));
    if (r->status == DNS_S_ERROR)
        out_str(o, OUT_C_NONE, "error", NULL, r->error);
    if (r->server[0])
        out_str(o, OUT_C_NONE, "server", NULL, r->server);
    else
        out_null(o, "server");
    out_dbl(o, "time_ms", NULL, round(r->time_ms * 100) / 100);
    if (p->rq->verbose && !it->bad) {
        if (r->have_hdr) {
            out_str(o, OUT_C_NONE, "rcode", NULL, dns_rcode_name(r->rcode, rb));
            out_arr_begin(o, "flags");
            char fl[40];
            dns_flags_str(r->flags, fl, sizeof(fl));
            for (char *w = strtok(fl, " "); w; w = strtok(NULL, " "))
                out_str(o, OUT_C_NONE, NULL, NULL, w);
            out_arr_end(o);
        }
        /* Text: one comment line, as dig starts its sections with ';'. */
        out_text(o, "; %s %s: %s", it->query, tname, dns_status_name(r->status));
        if (r->server[0])
            out_text(o, " from %s", r->server);
        else if (r->nans && r->ans[0].hosts)
            out_text(o, " from the hosts file");
        out_text(o, " in %.2f ms", r->time_ms);
        if (r->have_hdr)
            out_text(o, ", rcode %s, flags: %s", dns_rcode_name(r->rcode, rb),
                     dns_flags_str(r->flags, fb, sizeof(fb)));
        out_text(o, "\n");
    }
    out_arr_begin(o, "answers");
    /* NAME TYPE TTL DATA line up within the query's answers; one answer needs no table (a
     * batch of single answers costs nothing extra). */
    bool table = r->nans > 1;
    if (table)
        out_table_begin(o);
    for (size_t i = 0; i < r->nans; i++) {
        const struct dns_answer *a = &r->ans[i];
        char ab[DNS_TYPE_BUF];
        const char *at = dns_type_name(a->type, ab);
        enum out_color c = a->type == DNS_T_A      ? OUT_C_INET
                           : a->type == DNS_T_AAAA ? OUT_C_INET6
                                                   : OUT_C_NONE;
        out_obj_begin(o, NULL);
        if (table)
            out_row(o, &answer_cols);
        /* Without a table the gaps are in the formats: the line costs one call per field. */
        const char *gap = table ? "%s" : "  %s";
        out_str(o, OUT_C_NAME, "name", "%s", a->name);
        if (table)
            out_cell(o);
        out_str(o, OUT_C_NONE, "type", gap, at);
        if (table)
            out_cell(o);
        if (a->hosts) {
            out_null(o, "ttl");
            out_str(o, OUT_C_DIM, "source", gap, "hosts");
        } else {
            out_u64(o, "ttl", table ? "%llu" : "  %llu", a->ttl);
        }
        if (table) {
            out_cell(o);
            out_str(o, c, "data", "%s", a->data);
            out_row_end(o);
        } else {
            out_str(o, c, "data", "  %s\n", a->data);
        }
        out_obj_end(o);
    }
    if (table)
        out_table_end(o);
    out_arr_end(o);
    out_obj_end(o);
    if (r->status != DNS_S_NOERROR)
        report_failure(p, it);
}

static void progress(void *arg, const struct dnsb_stats *st, bool last)
{
    struct printer *p = arg;
    resolve_progress_tick(p->rp, st, last);
}

/* Options into req; returns -1 (and *status) when the command must return now. */
static int parse(int argc, char **argv, struct nk_ctx *ctx, struct req *rq, struct nk_opt_parser *p,
                 int *status)
{
    char err[NK_ERRLEN];
    int id;
    nk_opt_init(p, &nk_cmd_resolve, ctx, argc, argv);
    while ((id = nk_opt_next(p)) > 0) {
        switch (id) {
        case OPT_TYPE:
            if (dns_type_list_parse(p->arg, rq->types, MAX_TYPES, &rq->ntypes, err) < 0) {
                *status = nk_usage(CMD, "%s", err);
                return -1;
            }
            break;
        case OPT_SERVER:
            if (dns_servers_parse(p->arg, rq->servers, DNS_MAX_SERVERS, &rq->nservers, err) < 0) {
                *status = nk_usage(CMD, "%s", err);
                return -1;
            }
            break;
        case OPT_TCP: rq->tcp = true; break;
        case OPT_TIMEOUT: rq->timeout_ms = (int)p->num; break;
        case OPT_TRIES: rq->tries = (int)p->num; break;
        case OPT_NO_HOSTS: rq->no_hosts = true; break;
        case OPT_NO_SEARCH: rq->no_search = true; break;
        case OPT_FILE: rq->file = p->arg; break;
        case OPT_CONC: rq->concurrency = (unsigned)p->num; break;
        case OPT_VERBOSE: rq->verbose = true; break;
        }
    }
    if (id < 0) {
        *status = p->status;
        return -1;
    }
    rq->family = nk_opt_family(p, OPT_V4, OPT_V6);
    if (rq->file && p->argc > 0) {
        *status = nk_usage(CMD, "%s: names and --file together", p->argv[0]);
        return -1;
    }
    if (!rq->file && p->argc == 0) {
        *status = nk_usage(CMD, "missing NAME or ADDRESS");
        return -1;
    }
    /* Every positional name is checked before anything is sent. */
    for (int i = 0; i < p->argc; i++) {
        char ascii[DNS_NAME_BUF + 80];
        if (rq->ntypes == 0 && dns_reverse_name(p->argv[i], ascii, sizeof(ascii)))
            continue;
        if (dns_name_to_ascii(p->argv[i], ascii, err) < 0) {
            *status = nk_usage(CMD, "%s", err);
            return -1;
        }
    }
    if (rq->nservers == 0 && ctx->server &&
        dns_servers_parse(ctx->server, rq->servers, DNS_MAX_SERVERS, &rq->nservers, err) < 0) {
        *status = nk_usage(CMD, "server: %s", err);
        return -1;
    }
    return 0;
}

static int run(int argc, char **argv, struct nk_ctx *ctx)
{
    struct req rq = {.timeout_ms = ctx->timeout_ms > 0 ? ctx->timeout_ms : DEF_TIMEOUT_MS,
                     .tries = DEF_TRIES,
                     .concurrency = DEF_CONCURRENCY,
                     .family = AF_UNSPEC};
    struct nk_opt_parser p;
    int status = NK_OK;
    char err[NK_ERRLEN];
    if (parse(argc, argv, ctx, &rq, &p, &status) < 0)
        return status;

    int fd = -1;
    if (rq.file && strcmp(rq.file, "-") == 0) {
        fd = STDIN_FILENO;
    } else if (rq.file) {
        fd = open(rq.file, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            nk_err(CMD, "%s: %s", rq.file, nk_strerror(errno));
            return NK_FAIL;
        }
    }
    struct loop *l = loop_new();
    if (!l) {
        nk_err(CMD, "event loop: %s", nk_strerror(errno));
        if (fd > STDIN_FILENO)
            close(fd);
        return NK_FAIL;
    }
    struct dns_opts dopt = {.servers = rq.servers,
                            .nservers = rq.nservers,
                            .timeout_ms = rq.timeout_ms,
                            .tries = rq.tries,
                            .tcp = rq.tcp,
                            .no_search = rq.no_search,
                            .no_hosts =
                                rq.no_hosts || rq.ntypes > 0, /* only address mode reads it */
                            .family = rq.family};
    struct dns *d = dns_new(l, &dopt, err);
    if (!d) {
        nk_err(CMD, "%s", err);
        loop_free(l);
        if (fd > STDIN_FILENO)
            close(fd);
        return NK_FAIL;
    }
    struct out *o = out_new(stdout, ctx->json, ctx->color);
    struct resolve_progress rp;
    struct printer pr = {o, &rq, rq.file ? &rp : NULL};
    if (rq.file)
        resolve_progress_start(&rp, l, fd, rq.ntypes, rq.verbose);
    int nsrv = rq.nservers > 0 ? rq.nservers : 1;
    struct dnsb_cfg cfg = {
        .dns = d,
        .loop = l,
        .types = rq.types,
        .ntypes = rq.ntypes,
        .names = rq.file ? NULL : p.argv,
        .nnames = rq.file ? 0 : p.argc,
        .fd = fd,
        .max_inflight = rq.concurrency,
        /* The hard limit for names on the command line: c-ares doubles its timeout each
         * round, so tries x timeout x servers is what a user reads from the options. */
        .deadline_ms = rq.file ? 0 : (uint64_t)rq.timeout_ms * (uint64_t)rq.tries * nsrv,
        .retry_ms = (uint64_t)rq.timeout_ms / 2,
        .lookup_ms = (uint64_t)rq.timeout_ms * (uint64_t)rq.tries * nsrv,
        .emit = emit,
        .progress = pr.rp ? progress : NULL,
        .arg = &pr,
    };
    struct dnsb_stats st;
    /* Ctrl-C stops the batch: what was already printed stays, and the exit status is 1. */
    struct nk_sig_saved sig;
    nk_sig_install(false, &sig);
    int rc = dnsb_run(&cfg, &st, err);
    nk_sig_restore(&sig);
    if (pr.rp) /* the line cleared (after any ^C), the summary */
        resolve_progress_end(pr.rp, &st);
    dns_free(d);
    loop_free(l);
    if (fd > STDIN_FILENO)
        close(fd);
    if (rc < 0 && !st.interrupted) /* the shell says "interrupted"; a script has the status */
        nk_err(CMD, "%s", err);
    if (out_close(o) < 0)
        return NK_FAIL;
    if (st.bad)
        return NK_USAGE;
    return rc < 0 || st.failed ? NK_FAIL : NK_OK;
}

const struct nk_command nk_cmd_resolve = {
    .name = "resolve",
    .run = run,
    .opts = opts,
    .args = "NAME|ADDRESS...",
    .args_comp = NK_COMP_HOST,
    .summary = "DNS lookups: addresses, reverse names and any record type, one name or thousands",
    .details =
        "Without -t, a NAME gives its addresses (hosts file first, then A and AAAA from DNS with\n"
        "the search list) and an ADDRESS its PTR. Output: NAME  TYPE  TTL  DATA, with DATA as\n"
        "dig +short prints it. Exit 1 if any query ended without an answer (NXDOMAIN, NODATA,\n"
        "SERVFAIL, REFUSED, TIMEOUT)."};
