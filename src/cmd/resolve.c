/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_resolve.c - netkit resolve: DNS lookups through c-ares.
 *
 *   netkit resolve [OPTIONS] NAME|ADDRESS...
 *   netkit resolve [OPTIONS] -f FILE|-
 *
 * Without -t a NAME gives its addresses (hosts file first, then A and AAAA from DNS with the
 * search list) and an ADDRESS its PTR. -t asks DNS for any type. Output: one line per record,
 * `NAME  TYPE  TTL  DATA` with DATA as `dig +short` prints it; --json: one object per query.
 * dig's spellings too (dns/dnsargs.h): @SERVER, -x ADDR, a type word after a name; --short
 * prints the data alone, -v adds the transport, size, EDNS size and the other sections.
 * Exit 1 when any query ended without an answer (NXDOMAIN included), 2 on bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>

#include "lib/num.h"
#include "lib/err.h"
#include "cli/commands.h"
#include "dns/dns.h"
#include "dns/dnsargs.h"
#include "dns/dnsbatch.h"
#include "dns/dnsfmt.h"
#include "dns/dnsname.h"
#include "lib/loop.h"
#include "lib/sig.h"
#include "cli/msg.h"
#include "cli/out.h"
#include "cmd/resolve_progress.h"
#include "cmd/resolve_trace.h"

#define CMD "resolve"
/* Most -t types at once. */
#define MAX_TYPES 32
/* Most -x addresses on one command line. */
#define MAX_REVERSE 64
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
    OPT_TRACE,
    OPT_ROOT,
    OPT_GRACE,
    OPT_SHORT,
    OPT_REVERSE,
};

static const struct nk_opt opts[] = {
    NK_OPT_STR(OPT_TYPE, 't', "type", "TYPE",
               "record type to ask DNS for (A MX TXT SRV CAA ... or TYPEnnn); repeatable",
               .choices = dns_type_names, .comp = NK_COMP_CHOICES),
    NK_OPT_FLAG(OPT_V4, '4', "ipv4", "only IPv4 addresses"),
    NK_OPT_FLAG(OPT_V6, '6', "ipv6", "only IPv6 addresses"),
    NK_OPT_STR(OPT_SERVER, 's', "server", "ADDR[:PORT]",
               "DNS server(s): ADDR, ADDR:PORT, [v6]:PORT or ADDR#PORT; repeatable, comma list"),
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
                "server, time, rcode, flags, transport, size, EDNS, authority and additional"),
    NK_OPT_FLAG(OPT_TRACE, 0, "trace",
                "iterative resolution from the root servers, asking every server of each zone",
                .excludes = {OPT_FILE, OPT_CONC},
                .why = "--trace asks the root servers and those they refer to, one name at a time"),
    NK_OPT_STR(OPT_ROOT, 0, "root", "ADDR[:PORT]",
               "with --trace: start at this server instead of the root hints; repeatable",
               .requires = OPT_TRACE, .excludes = {OPT_SERVER},
               .why = "--root is where the trace starts; -s only asks a server for the root's "
                      "NS set"),
    NK_OPT_INT(OPT_GRACE, 0, "grace", "MS", 1, 600000,
               "with --trace: how long a silent server is waited for once others answered, "
               "at least (default 200)",
               .requires = OPT_TRACE),
    NK_OPT_FLAG(OPT_SHORT, 0, "short", "only the data of each record, one per line (dig +short)",
                .excludes = {OPT_VERBOSE, OPT_TRACE},
                .why = "--short prints only the data of a plain lookup"),
    NK_OPT_STR(OPT_REVERSE, 'x', "reverse", "ADDR",
               "reverse lookup (PTR) of ADDR, as dig -x; repeatable"),
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
    bool brief;                               /* --short */
    const char *rev[MAX_REVERSE];             /* -x values, as getopt gave them */
    int nrev;                                 /* how many */
    struct dns_query *queries;                /* dig's word order: one per name (allocated) */
    char **names;                             /* their names, for the batch (allocated) */
    int nnames;                               /* how many */
    int timeout_ms, tries;                    /* per try */
    const char *file;                         /* -f, or NULL */
    unsigned concurrency;                     /* -c */
    bool trace;                               /* --trace */
    int grace_ms;                             /* --grace, 0: the engine's default */
    struct net_addr roots[DNS_MAX_SERVERS];   /* --root */
    int nroots;                               /* how many */
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

/* Records under key: `NAME  TYPE  TTL  DATA` lines, lined up within the block, or an array of
 * objects. */
static void emit_recs(struct out *o, const char *key, const struct dns_answer *v, size_t n)
{
    out_arr_begin(o, key);
    /* One record needs no table (a batch of single answers costs nothing extra). */
    bool table = n > 1;
    if (table)
        out_table_begin(o);
    for (size_t i = 0; i < n; i++) {
        const struct dns_answer *a = &v[i];
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
}

/* A negative answer's lifetime in caches (RFC 2308 5): the smaller of the authority SOA's TTL
 * and its MINIMUM field (the last of its data). -1 without a SOA. */
static long long negative_ttl(const struct dns_result *r)
{
    for (size_t i = 0; i < r->nauth; i++) {
        if (r->auth[i].type != DNS_T_SOA)
            continue;
        const char *sp = strrchr(r->auth[i].data, ' ');
        long long min = sp ? strtoll(sp + 1, NULL, 10) : (long long)r->auth[i].ttl;
        return min < (long long)r->auth[i].ttl ? min : (long long)r->auth[i].ttl;
    }
    return -1;
}

/* -v: the response's transport, size and EDNS size, and the negative-caching TTL; the
 * authority and additional sections come after the answers (emit_sections). */
static void emit_transport(struct out *o, const struct dns_result *r)
{
    bool neg = r->status == DNS_S_NXDOMAIN || r->status == DNS_S_NODATA;
    long long nttl = neg ? negative_ttl(r) : -1;
    if (r->nresp == 0) { /* the hosts file (or no answer at all): nothing to tell */
        out_null(o, "transport");
        out_null(o, "size");
        out_null(o, "edns");
    } else {
        out_str(o, OUT_C_NONE, "transport", "; %s", r->tcp ? "tcp" : "udp");
        out_u64(o, "size", ", %llu bytes", r->size);
        if (r->has_edns)
            out_u64(o, "edns", ", EDNS %llu", r->edns);
        else
            out_null(o, "edns");
        if (!r->has_edns)
            out_text(o, ", no EDNS");
        if (r->nresp > 1)
            out_text(o, " (%d answers)", r->nresp);
    }
    if (nttl >= 0)
        out_i64(o, "negative_ttl", r->nresp ? ", negative TTL %lld s" : NULL, nttl);
    else
        out_null(o, "negative_ttl");
    if (r->nresp)
        out_text(o, "\n");
}

static void emit_sections(struct out *o, const struct dns_result *r)
{
    if (r->nauth)
        out_text(o, "; authority section\n");
    emit_recs(o, "authority", r->auth, r->nauth);
    if (r->naddl)
        out_text(o, "; additional section\n");
    emit_recs(o, "additional", r->addl, r->naddl);
}

static void emit(void *arg, const struct dnsb_item *it)
{
    struct printer *p = arg;
    struct out *o = p->o;
    const struct dns_result *r = &it->res;
    char tb[DNS_TYPE_BUF], rb[16], fb[40];
    const char *tname = it->type ? dns_type_name(it->type, tb) : "ADDR";

    if (p->rp)
        resolve_progress_result(p->rp, r->status == DNS_S_NOERROR && !it->bad);
    if (p->rq->brief) { /* dig +short: the data alone (--json is refused with --short) */
        for (size_t i = 0; i < r->nans; i++)
            out_str(o, OUT_C_NONE, NULL, "%s\n", r->ans[i].data);
        if (r->status != DNS_S_NOERROR)
            report_failure(p, it);
        return;
    }
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
    out_dbl(o, "time_ms", NULL, nk_round2(r->time_ms));
    bool verbose = p->rq->verbose && !it->bad;
    if (verbose) {
        if (r->have_hdr) {
            out_str(o, OUT_C_NONE, "rcode", NULL, dns_rcode_name(r->rcode, rb));
            out_arr_begin(o, "flags");
            char fl[40];
            dns_flags_str(r->flags, fl, sizeof(fl));
            for (char *w = strtok(fl, " "); w; w = strtok(NULL, " "))
                out_str(o, OUT_C_NONE, NULL, NULL, w);
            out_arr_end(o);
        }
        /* Text: comment lines, as dig starts its sections with ';'. */
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
        emit_transport(o, r);
    }
    emit_recs(o, "answers", r->ans, r->nans);
    if (verbose)
        emit_sections(o, r);
    out_obj_end(o);
    if (r->status != DNS_S_NOERROR)
        report_failure(p, it);
}

static void progress(void *arg, const struct dnsb_stats *st, bool last)
{
    struct printer *p = arg;
    resolve_progress_tick(p->rp, st, last);
}

/* --root ADDR, ADDR:PORT, [V6]:PORT or ADDR#PORT (dig's spelling). */
static int parse_root(const char *arg, struct req *rq, char err[NK_ERRLEN])
{
    char spec[NET_ADDRSTRLEN + 8];
    const char *hash = strchr(arg, '#');
    if (strchr(arg, ','))
        return nk_seterr(err, "'%s': one address per --root", arg);
    if (hash && strchr(arg, ':') && hash - arg < (int)sizeof(spec) - 8)
        snprintf(spec, sizeof(spec), "[%.*s]:%s", (int)(hash - arg), arg, hash + 1);
    else if (hash && hash - arg < (int)sizeof(spec) - 8)
        snprintf(spec, sizeof(spec), "%.*s:%s", (int)(hash - arg), arg, hash + 1);
    else
        snprintf(spec, sizeof(spec), "%s", arg);
    if (dns_servers_parse(spec, rq->roots, DNS_MAX_SERVERS, &rq->nroots, err) < 0)
        return -1;
    if (rq->nroots > 1 && net_port((struct sockaddr *)&rq->roots[0].ss) !=
                              net_port((struct sockaddr *)&rq->roots[rq->nroots - 1].ss))
        return nk_seterr(err, "'%s': every --root has the same port (it is every server's)", arg);
    return 0;
}

/* The positional words and -x values in command-line order (getopt moves the positionals to
 * the end, keeping their order): found by where each string lies in the caller's argv (orig,
 * as it was before parsing), since "-xADDR" and "--reverse=ADDR" point inside their word. One
 * pass: a command line from xargs may hold many thousands of names. */
static int words_in_order(char **orig, int argc, const struct nk_opt_parser *p,
                          const struct req *rq, struct dns_word *w)
{
    int n = 0, k = 0, r = 0;
    for (int i = 1; i < argc; i++) {
        const char *lo = orig[i], *hi = orig[i] + strlen(orig[i]);
        if (k < p->argc && p->argv[k] == orig[i])
            w[n++] = (struct dns_word){p->argv[k++], false};
        else if (r < rq->nrev && rq->rev[r] >= lo && rq->rev[r] <= hi)
            w[n++] = (struct dns_word){rq->rev[r++], true};
    }
    return n;
}

/* Options and words into req; returns -1 (and *status) when the command must return now. */
static int parse(int argc, char **argv, struct nk_ctx *ctx, struct req *rq, struct nk_opt_parser *p,
                 int *status)
{
    char err[NK_ERRLEN];
    int id = 0;
    char **orig = malloc((size_t)(argc + 1) * sizeof(*orig));
    struct dns_word *w = malloc((size_t)(argc + 1) * sizeof(*w));
    rq->queries = malloc((size_t)(argc + 1) * sizeof(*rq->queries));
    rq->names = malloc((size_t)(argc + 1) * sizeof(*rq->names));
    if (!orig || !w || !rq->queries || !rq->names) {
        free(orig);
        free(w);
        nk_err(CMD, "out of memory");
        *status = NK_FAIL;
        return -1;
    }
    memcpy(orig, argv, (size_t)argc * sizeof(*orig));
    *status = 0;
    nk_opt_init(p, &nk_cmd_resolve, ctx, argc, argv);
    while (*status == 0 && (id = nk_opt_next(p)) > 0) {
        switch (id) {
        case OPT_TYPE:
            if (dns_type_list_parse(p->arg, rq->types, MAX_TYPES, &rq->ntypes, err) < 0)
                *status = nk_usage(CMD, "%s", err);
            break;
        case OPT_SERVER:
            if (dns_servers_parse(p->arg, rq->servers, DNS_MAX_SERVERS, &rq->nservers, err) < 0)
                *status = nk_usage(CMD, "%s", err);
            break;
        case OPT_TCP: rq->tcp = true; break;
        case OPT_TIMEOUT: rq->timeout_ms = (int)p->num; break;
        case OPT_TRIES: rq->tries = (int)p->num; break;
        case OPT_NO_HOSTS: rq->no_hosts = true; break;
        case OPT_NO_SEARCH: rq->no_search = true; break;
        case OPT_FILE: rq->file = p->arg; break;
        case OPT_CONC: rq->concurrency = (unsigned)p->num; break;
        case OPT_VERBOSE: rq->verbose = true; break;
        case OPT_TRACE: rq->trace = true; break;
        case OPT_GRACE: rq->grace_ms = (int)p->num; break;
        case OPT_ROOT:
            if (parse_root(p->arg, rq, err) < 0)
                *status = nk_usage(CMD, "--root %s", err);
            break;
        case OPT_SHORT: rq->brief = true; break;
        case OPT_REVERSE:
            if (rq->nrev >= MAX_REVERSE)
                *status = nk_usage(CMD, "-x %s: too many reverse lookups (at most %d)", p->arg,
                                   MAX_REVERSE);
            else
                rq->rev[rq->nrev++] = p->arg;
            break;
        }
    }
    if (*status == 0 && id < 0) { /* a usage error printed, or --help (status 0) */
        *status = p->status;
        free(orig);
        free(w);
        return -1;
    }
    int nw = *status == 0 ? words_in_order(orig, argc, p, rq, w) : 0;
    free(orig);
    if (*status == 0 && dns_args_parse(w, nw, rq->queries, argc, &rq->nnames, rq->servers,
                                       DNS_MAX_SERVERS, &rq->nservers, err) < 0)
        *status = nk_usage(CMD, "%s", err);
    free(w);
    if (*status != 0)
        return -1;
    rq->family = nk_opt_family(p, OPT_V4, OPT_V6);
    if (rq->brief && ctx->json) {
        *status = nk_usage(CMD, "--short and --json: --short prints only the data, as text");
        return -1;
    }
    if (rq->file && rq->nnames > 0) {
        *status = nk_usage(CMD, "%s: names and --file together", rq->queries[0].name);
        return -1;
    }
    if (!rq->file && rq->nnames == 0) {
        *status = nk_usage(CMD, "missing NAME or ADDRESS");
        return -1;
    }
    /* Every name is checked before anything is sent (-x ones were, as addresses). */
    for (int i = 0; i < rq->nnames; i++) {
        const struct dns_query *q = &rq->queries[i];
        char ascii[DNS_NAME_BUF + 80];
        rq->names[i] = (char *)q->name;
        if (q->reverse ||
            (rq->ntypes == 0 && q->ntypes == 0 && dns_reverse_name(q->name, ascii, sizeof(ascii))))
            continue;
        if (dns_name_to_ascii(q->name, ascii, err) < 0) {
            *status = nk_usage(CMD, "%s", err);
            return -1;
        }
    }
    /* --trace asks no recursive server: the global --dns (the shell's `set server`) is not
     * for it; its own -s/@SERVER only primes the root's NS set, as dig @SERVER +trace. */
    if (rq->nservers == 0 && ctx->server && !rq->trace &&
        dns_servers_parse(ctx->server, rq->servers, DNS_MAX_SERVERS, &rq->nservers, err) < 0) {
        *status = nk_usage(CMD, "server: %s", err);
        return -1;
    }
    return 0;
}

static int lookup_all(struct nk_ctx *ctx, struct req *rqp)
{
    const struct req rq = *rqp;
    char err[NK_ERRLEN];

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
                            .family = rq.family,
                            .sections = rq.verbose};
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
        .names = rq.file ? NULL : rq.names,
        .nnames = rq.file ? 0 : rq.nnames,
        .queries = rq.queries,
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

/* --trace: each name from the root down, with the one type asked (-t, or a type word after
 * the name). */
static int trace_all(struct nk_ctx *ctx, const struct req *rq)
{
    int type = rq->ntypes ? rq->types[0] : 0, ntypes = rq->ntypes;
    for (int i = 0; i < rq->nnames; i++) {
        const struct dns_query *q = &rq->queries[i];
        if (q->reverse)
            return nk_usage(CMD, "-x %s: --trace follows a name, not a reverse lookup", q->name);
        if (q->ntypes) {
            type = q->types[0];
            ntypes = q->ntypes;
        }
    }
    if (ntypes > 1)
        return nk_usage(CMD, "--trace follows one record type at a time");
    if (rq->nroots > 0 && rq->nservers > 0) { /* @SERVER: -s was told by the option table */
        char a[NET_ADDRSTRLEN + 8];
        net_ntop_port((const struct sockaddr *)&rq->servers[0].ss, a, sizeof(a));
        return nk_usage(CMD,
                        "@%s and --root: --root is where the trace starts; @SERVER only "
                        "asks a server for the root's NS set",
                        a);
    }
    struct itr_opts io = {.roots = rq->roots,
                          .nroots = rq->nroots,
                          .prime = rq->servers,
                          .grace_ms = rq->grace_ms,
                          .nprime = rq->nservers,
                          .timeout_ms = rq->timeout_ms,
                          .tries = rq->tries,
                          .tcp = rq->tcp,
                          .family = rq->family};
    return resolve_trace((char **)rq->names, rq->nnames, type, &io, ctx->json, ctx->color);
}

static int run(int argc, char **argv, struct nk_ctx *ctx)
{
    struct req rq = {.timeout_ms = ctx->timeout_ms > 0 ? ctx->timeout_ms : DEF_TIMEOUT_MS,
                     .tries = DEF_TRIES,
                     .concurrency = DEF_CONCURRENCY,
                     .family = AF_UNSPEC};
    struct nk_opt_parser p;
    int status = NK_OK;
    if (parse(argc, argv, ctx, &rq, &p, &status) == 0)
        status = rq.trace ? trace_all(ctx, &rq) : lookup_all(ctx, &rq);
    free(rq.queries);
    free(rq.names);
    return status;
}

const struct nk_command nk_cmd_resolve = {
    .name = "resolve",
    .run = run,
    .opts = opts,
    .args = "NAME|ADDRESS...",
    .args_comp = NK_COMP_HOST,
    .args_then = dns_type_names,
    .summary = "DNS lookups: addresses, reverse names and any record type, one name or thousands",
    .details =
        "Without -t, a NAME gives its addresses (hosts file first, then A and AAAA from DNS with\n"
        "the search list) and an ADDRESS its PTR. Output: NAME  TYPE  TTL  DATA, with DATA as\n"
        "dig +short prints it. Exit 1 if any query ended without an answer (NXDOMAIN, NODATA,\n"
        "SERVFAIL, REFUSED, TIMEOUT).\n"
        "As dig: @SERVER is -s SERVER, and a type word after a name asks that name for it\n"
        "(resolve example.org MX); a type word before any name is a name.\n"
        "--trace resolves the name from the root servers down (root hints from dns-root-data,\n"
        "or --root), asking every server of each zone without recursion, and reports lame\n"
        "servers and NS-set, SOA-serial and answer mismatches; exit 1 when the chain broke."};
