/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_echo_serve.c - `netkit echo-serve`: the echo server (RFC 862).
 *
 *   netkit echo-serve [OPTIONS] PORT           PORT 0 picks a free port
 *   netkit echo-serve [OPTIONS] --unix PATH
 *     -b, --bind ADDR      address to listen on (repeatable); default 0.0.0.0 and ::
 *     -u, --udp            serve UDP echo as well as TCP
 *         --unix PATH      serve on a Unix-domain stream socket instead
 *     -t, --threads N      worker threads (default: the CPUs we may run on)
 *     -m, --max-conns N    connections held at once; more wait in the backlog
 *         --idle-timeout S close connections idle for S seconds (0 = never)
 *     -v, --verbose        log each connection on stderr
 *
 * Prints one readiness line per socket on stdout (flushed), serves until SIGINT or SIGTERM, then
 * prints "N connections, M bytes echoed" on stderr and exits 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "echo/echo_server.h"
#include "cli/msg.h"
#include "lib/err.h"
#include "lib/net.h"
#include "lib/sig.h"
#include "cli/out.h"

#define CMD "echo-serve"

extern const struct nk_command nk_cmd_echo_serve;

enum {
    OPT_BIND = 1,
    OPT_UDP,
    OPT_UNIX,
    OPT_THREADS,
    OPT_MAXCONNS,
    OPT_IDLE,
    OPT_VERBOSE
};

static const struct nk_opt opts[] = {
    NK_OPT_STR(OPT_BIND, 'b', "bind", "ADDR",
               "address to listen on (repeatable; default: every IPv4 and IPv6 address)"),
    NK_OPT_FLAG(OPT_UDP, 'u', "udp", "serve UDP echo as well as TCP"),
    NK_OPT_STR(OPT_UNIX, 0, "unix", "PATH",
               "serve on a Unix-domain stream socket instead (no PORT)", .comp = NK_COMP_FILE,
               .excludes = {OPT_BIND, OPT_UDP}),
    NK_OPT_INT(OPT_THREADS, 't', "threads", "N", 1, 1024,
               "worker threads (default: number of CPUs)", .what = "thread count"),
    NK_OPT_INT(OPT_MAXCONNS, 'm', "max-conns", "N", 1, 100000000,
               "connections held at once; more wait in the backlog", .what = "connection limit"),
    NK_OPT_INT(OPT_IDLE, 0, "idle-timeout", "S", 0, 86400,
               "close connections idle for S seconds (0 = never)", .what = "idle timeout"),
    NK_OPT_FLAG(OPT_VERBOSE, 'v', "verbose",
                "log each connection: peer, bytes, duration, how it ended"),
    NK_OPT_END,
};

static const char *const end_names[] = {
    [ES_END_EOF] = "eof",
    [ES_END_RESET] = "reset",
    [ES_END_IDLE] = "idle",
    [ES_END_SHUTDOWN] = "shutdown",
};

/* -v: one line per finished connection, from the worker threads (nk_err writes a line at once). */
static void log_conn(void *arg, const struct es_conn_log *c)
{
    char peer[NET_ADDRSTRLEN];
    (void)arg;
    if (c->peer->sa_family == AF_UNIX)
        snprintf(peer, sizeof(peer), "unix");
    else
        net_ntop_port(c->peer, peer, sizeof(peer));
    nk_err(CMD, "%s: %" PRIu64 " bytes in, %" PRIu64 " out, %" PRIu64 ".%03" PRIu64 " s, %s", peer,
           c->bytes_in, c->bytes_out, c->duration_ms / 1000, c->duration_ms % 1000,
           end_names[c->end]);
}

static void print_ready(struct out *o, const char *proto, const struct net_addr *a)
{
    const struct sockaddr *sa = (const struct sockaddr *)&a->ss;
    char host[NET_ADDRSTRLEN], hostport[NET_ADDRSTRLEN];
    out_obj_begin(o, NULL);
    out_str(o, OUT_C_NONE, "event", NULL, "listening");
    out_str(o, OUT_C_NONE, "proto", "listening on %s ", proto);
    if (sa->sa_family == AF_UNIX) {
        out_str(o, OUT_C_NONE, "path", "%s", net_ntop(sa, host, sizeof(host)));
    } else {
        out_str(o, OUT_C_NONE, "address", NULL, net_ntop(sa, host, sizeof(host)));
        out_str(o, OUT_C_NONE, NULL, "%s", net_ntop_port(sa, hostport, sizeof(hostport)));
        out_i64(o, "port", NULL, net_port(sa));
    }
    out_text(o, "\n");
    out_obj_end(o);
}

/* Check the positional arguments and options against each other; fill cfg. */
static int check_args(struct nk_opt_parser *p, struct es_config *cfg)
{
    char err[NK_ERRLEN];
    if (cfg->unix_path) { /* the option table rules out --bind and --udp with it */
        if (p->argc > 0)
            return nk_usage(CMD, "'%s': no PORT with --unix", p->argv[0]);
        return NK_OK;
    }
    if (p->argc == 0)
        return nk_usage(CMD, "missing PORT (or --unix PATH)");
    if (p->argc > 1)
        return nk_usage(CMD, "'%s': unexpected argument", p->argv[1]);
    if (net_parse_port(p->argv[0], &cfg->port, err) < 0)
        return nk_usage(CMD, "%s", err);
    return NK_OK;
}

static int serve(struct es_config *cfg, struct nk_ctx *ctx)
{
    char err[NK_ERRLEN];
    struct echo_server *srv;
    /* SIGINT and SIGTERM wake the workers' loops (lib/sig.h): they stop, and es_join returns.
     * Caught from before the workers exist, so that no signal is lost in between. */
    struct nk_sig_saved sig;
    nk_sig_install(true, &sig);

    int st = es_open(&srv, cfg, err);
    if (st != NK_OK) {
        nk_sig_restore(&sig);
        if (st == NK_USAGE)
            return nk_usage(CMD, "%s", err);
        nk_err(CMD, "%s", err);
        return st;
    }
    if (es_start(srv, err) != NK_OK) {
        nk_err(CMD, "%s", err);
        es_free(srv);
        nk_sig_restore(&sig);
        return NK_FAIL;
    }
    if (cfg->log)
        nk_err(CMD, "%d worker threads, up to %d connections", es_threads(srv), es_max_conns(srv));
    struct out *o = out_new(stdout, ctx->json, false);
    for (int i = 0; i < es_listener_count(srv); i++) {
        const char *proto;
        const struct net_addr *a;
        es_listener(srv, i, &proto, &a);
        print_ready(o, proto, a);
    }
    /* Flushed now, for whoever waits on these lines. A server whose readiness nobody can read
     * (stdout on a full disk) stops at once rather than serve unannounced. */
    errno = 0;
    if (out_close(o) < 0) {
        int e = errno ? errno : EIO;
        es_stop(srv);
        struct es_stats ignored;
        es_join(srv, &ignored);
        es_free(srv);
        nk_sig_restore(&sig);
        nk_err(CMD, "write error on standard output: %s", nk_strerror(e));
        clearerr(stdout); /* reported: main's final check has nothing more to say */
        return NK_FAIL;
    }

    struct es_stats stats;
    es_join(srv, &stats); /* until a signal, or a worker's failure */
    bool failed = es_failed(srv);
    es_free(srv);
    nk_sig_restore(&sig);
    if (failed)
        nk_err(CMD, "a worker's event loop failed");
    nk_err(CMD, "%" PRIu64 " connections, %" PRIu64 " bytes echoed", stats.conns, stats.bytes);
    if (cfg->log && (stats.datagrams || stats.dropped))
        nk_err(CMD, "%" PRIu64 " datagrams echoed, %" PRIu64 " dropped (source port 7 or 19)",
               stats.datagrams, stats.dropped);
    return failed ? NK_FAIL : NK_OK;
}

static int run(int argc, char **argv, struct nk_ctx *ctx)
{
    struct es_config cfg = {0};
    struct nk_opt_parser p;
    char err[NK_ERRLEN];
    int id;
    nk_opt_init(&p, &nk_cmd_echo_serve, ctx, argc, argv);
    while ((id = nk_opt_next(&p)) > 0)
        switch (id) {
        case OPT_BIND:
            if (cfg.nbinds == ES_MAX_BINDS)
                return nk_usage(CMD, "'%s': at most %d --bind addresses", p.arg, ES_MAX_BINDS);
            if (es_parse_bind(p.arg, &cfg.binds[cfg.nbinds], err) < 0)
                return nk_usage(CMD, "%s", err);
            cfg.nbinds++;
            break;
        case OPT_UDP: cfg.udp = true; break;
        case OPT_UNIX: cfg.unix_path = p.arg; break;
        case OPT_THREADS: cfg.threads = (int)p.num; break;
        case OPT_MAXCONNS: cfg.max_conns = (int)p.num; break;
        case OPT_IDLE: cfg.idle_timeout_s = (int)p.num; break;
        case OPT_VERBOSE: cfg.log = log_conn; break;
        }
    if (id < 0)
        return p.status;
    int st = check_args(&p, &cfg);
    if (st != NK_OK)
        return st;
    return serve(&cfg, ctx);
}

const struct nk_command nk_cmd_echo_serve = {
    .name = "echo-serve",
    .run = run,
    .opts = opts,
    .args = "PORT | --unix PATH",
    .args_comp = NK_COMP_NONE,
    .summary = "echo server (RFC 862): TCP, UDP or a Unix socket, many connections on few threads",
    .details =
        "Everything received is sent back byte for byte. PORT 0 picks a free port (the same for\n"
        "every socket). Prints one 'listening on' line per socket when ready; SIGINT or SIGTERM\n"
        "stops it and prints 'N connections, M bytes echoed' on stderr.",
};
