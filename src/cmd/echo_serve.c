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
 *     -v, --verbose        log each event (accept, data, eof, close, reset) on stdout
 *     -vv                  and a hex dump of the data
 *
 * Prints one readiness line per socket on stdout (flushed), serves until SIGINT or SIGTERM, then
 * prints "N connections, M bytes echoed" on stderr and exits 0.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "echo/echo_server.h"
#include "cli/msg.h"
#include "lib/err.h"
#include "lib/loop.h"
#include "lib/net.h"
#include "lib/sig.h"
#include "cli/out.h"
#include "cli/progress.h"

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
               "address to listen on (repeatable; default: every IPv4 and IPv6 address)",
               .comp = NK_COMP_LOCAL),
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
                "log each event on stdout: accept, data (at most 1/s per connection), eof, "
                "close, reset; -vv adds a hex dump of the data"),
    NK_OPT_END,
};

/* -v: how the event callback prints (set before the workers start, read-only after). */
struct evlog {
    bool json;
    int verbose;
};

/* "HH:MM:SS.uuuuuu", local time (tcpdump's stamp). */
static void stamp(uint64_t us, char *buf, size_t len)
{
    time_t t = (time_t)(us / 1000000u);
    struct tm tm;
    localtime_r(&t, &tm);
    snprintf(buf, len, "%02d:%02d:%02d.%06u", tm.tm_hour, tm.tm_min, tm.tm_sec,
             (unsigned)(us % 1000000u));
}

/* An address as a JSON object {"address","port"} ({"path"} for Unix) and as text. */
static void ev_addr(struct out *o, const char *key, const struct sockaddr *sa)
{
    char host[NET_ADDRSTRLEN], hostport[NET_ADDRSTRLEN];
    out_obj_begin(o, key);
    if (sa->sa_family == AF_UNIX) {
        const char *p = net_ntop(sa, host, sizeof(host));
        out_str(o, OUT_C_NONE, "path", "%s", p[0] ? p : "unix");
    } else {
        out_str(o, OUT_C_NONE, "address", NULL, net_ntop(sa, host, sizeof(host)));
        out_str(o, OUT_C_NONE, NULL, "%s", net_ntop_port(sa, hostport, sizeof(hostport)));
        out_i64(o, "port", NULL, net_port(sa));
    }
    out_obj_end(o);
}

/* -vv: 16 bytes a line, offset, hex, then the printable text (socat -v, ncat --hex-dump). */
static void ev_dump(struct out *o, const unsigned char *d, size_t n)
{
    for (size_t off = 0; off < n; off += 16) {
        size_t m = n - off < 16 ? n - off : 16;
        char txt[17];
        out_text(o, "  %04zx ", off);
        for (size_t i = 0; i < 16; i++)
            if (i < m)
                out_text(o, "%s%02x", i == 8 ? "  " : " ", d[off + i]);
            else
                out_text(o, "%s   ", i == 8 ? "  " : "");
        for (size_t i = 0; i < m; i++)
            txt[i] = d[off + i] >= 0x20 && d[off + i] < 0x7f ? (char)d[off + i] : '.';
        txt[m] = 0;
        out_text(o, "  |%s|\n", txt);
    }
    /* JSON: the bytes as one hex string */
    char *all = malloc(n * 2 + 1);
    if (!all)
        return;
    for (size_t i = 0; i < n; i++)
        snprintf(all + 2 * i, 3, "%02x", d[i]);
    all[2 * n] = 0;
    out_str(o, OUT_C_NONE, "data_hex", NULL, all);
    free(all);
}

static const char *const ev_names[] = {
    [ES_EV_ACCEPT] = "accept", [ES_EV_DATA] = "data",   [ES_EV_EOF] = "eof",
    [ES_EV_CLOSE] = "close",   [ES_EV_RESET] = "reset",
};

static const char *const end_names[] = {
    [ES_END_EOF] = "client closed first",
    [ES_END_RESET] = "reset",
    [ES_END_IDLE] = "server closed first (idle timeout)",
    [ES_END_SHUTDOWN] = "server closed first (shutting down)",
};

/* Write one event: formatted into memory, then written whole, so that events from several
 * workers never interleave inside a line. Runs on a worker thread. */
static void log_event(void *arg, const struct es_event *e)
{
    const struct evlog *lg = arg;
    char *buf = NULL, ts[32];
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return;
    struct out *o = out_new(m, lg->json, false);
    stamp(e->time_us, ts, sizeof(ts));
    out_obj_begin(o, NULL);
    out_str(o, OUT_C_NONE, "event", NULL, ev_names[e->kind]);
    out_dbl(o, "time", NULL, (double)e->time_us / 1e6);
    out_text(o, "%s ", ts);
    out_str(o, OUT_C_NONE, NULL, "%s", ev_names[e->kind]);
    out_i64(o, "fd", " fd %" PRId64, e->fd);
    switch (e->kind) {
    case ES_EV_ACCEPT:
        out_i64(o, "listen_fd", " from listening fd %" PRId64 ": ", e->listen_fd);
        if (e->local)
            ev_addr(o, "local", e->local);
        out_text(o, " <- ");
        ev_addr(o, "peer", e->peer);
        out_i64(o, "worker", ", worker %" PRId64 "\n", e->worker);
        break;
    case ES_EV_DATA:
        out_text(o, " ");
        ev_addr(o, "peer", e->peer);
        out_u64(o, "new_in", ": %" PRIu64, e->new_in);
        out_text(o, " byte%s in", nk_s(e->new_in));
        out_u64(o, "new_out", ", %" PRIu64 " out", e->new_out);
        out_u64(o, "bytes_in", " (total %" PRIu64 " in", e->bytes_in);
        out_u64(o, "bytes_out", ", %" PRIu64 " out)\n", e->bytes_out);
        if (e->data)
            ev_dump(o, e->data, e->len);
        break;
    case ES_EV_EOF:
        out_text(o, " ");
        ev_addr(o, "peer", e->peer);
        out_u64(o, "in_flight", ": client half-closed, %" PRIu64, e->in_flight);
        out_text(o, " byte%s still in flight", nk_s(e->in_flight));
        out_u64(o, "bytes_in", " (total %" PRIu64 " in", e->bytes_in);
        out_u64(o, "bytes_out", ", %" PRIu64 " out)\n", e->bytes_out);
        break;
    case ES_EV_CLOSE:
    case ES_EV_RESET:
        out_text(o, " ");
        ev_addr(o, "peer", e->peer);
        if (e->kind == ES_EV_RESET) {
            char why[128];
            snprintf(why, sizeof(why), "%s", nk_strerror(e->error ? e->error : ECONNRESET));
            why[0] = (char)tolower((unsigned char)why[0]);
            out_str(o, OUT_C_NONE, "error", ": %s", why);
        } else {
            out_str(o, OUT_C_NONE, "closed_first", ": %s", e->client_first ? "client" : "server");
            out_str(o, OUT_C_NONE, "reason", NULL,
                    e->end == ES_END_EOF    ? "eof"
                    : e->end == ES_END_IDLE ? "idle"
                                            : "shutdown");
            if (!e->client_first)
                out_text(o, "%s", strchr(end_names[e->end], ' '));
            else
                out_text(o, " closed first");
        }
        out_u64(o, "bytes_in", "; %" PRIu64, e->bytes_in);
        out_text(o, " byte%s in", nk_s(e->bytes_in));
        out_u64(o, "bytes_out", ", %" PRIu64 " out", e->bytes_out);
        out_dbl(o, "duration_s", ", %.3f s\n", (double)e->duration_ms / 1000.0);
        break;
    }
    out_obj_end(o);
    out_close(o);
    fclose(m);
    flockfile(stdout);
    fwrite(buf, 1, len, stdout);
    fflush(stdout);
    funlockfile(stdout);
    free(buf);
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

/* "12.3 KB/s": a rate for the status line. */
static void rate_str(double bps, char *buf, size_t len)
{
    const char *unit[] = {"B", "KB", "MB", "GB"};
    int u = 0;
    while (bps >= 1000 && u < 3)
        bps /= 1000, u++;
    snprintf(buf, len, "%.1f %s/s", bps, unit[u]);
}

/* On a terminal without -v: a status line on stderr, refreshed twice a second, until the
 * workers end. */
static void status_loop(struct echo_server *srv)
{
    struct es_live prev = {0}, now;
    uint64_t t0 = loop_clock_us();
    struct progress line;
    progress_start(&line);
    while (!es_wait(srv, 500)) {
        es_counters(srv, &now);
        uint64_t t1 = loop_clock_us();
        double dt = (double)(t1 - t0) / 1e6;
        char in[32], out[32];
        rate_str(dt > 0 ? (double)(now.bytes_in - prev.bytes_in) / dt : 0, in, sizeof(in));
        rate_str(dt > 0 ? (double)(now.bytes_out - prev.bytes_out) / dt : 0, out, sizeof(out));
        progress_show(&line, "%" PRIu64 " connection%s now, %" PRIu64 " accepted, in %s, out %s",
                      now.open, nk_s(now.open), now.accepted, in, out);
        prev = now;
        t0 = t1;
    }
    progress_end(&line);
}

static int serve(struct es_config *cfg, struct nk_ctx *ctx)
{
    char err[NK_ERRLEN];
    struct echo_server *srv;
    /* SIGINT and SIGTERM wake the workers' loops (lib/sig.h): they stop, and es_join returns.
     * Caught from before the workers exist, so that no signal is lost in between. */
    struct nk_sig_saved sig;
    nk_sig_install(true, &sig);

    bool status = !cfg->event && isatty(STDERR_FILENO);
    int st = es_open(&srv, cfg, err);
    if (st != NK_OK) {
        nk_sig_restore(&sig);
        if (st == NK_USAGE)
            return nk_usage(CMD, "%s", err);
        nk_err(CMD, "%s", err);
        return st;
    }
    es_publish(srv, status);
    if (es_start(srv, err) != NK_OK) {
        nk_err(CMD, "%s", err);
        es_free(srv);
        nk_sig_restore(&sig);
        return NK_FAIL;
    }
    if (cfg->event)
        nk_err(CMD, "%d worker thread%s, up to %d connection%s", es_threads(srv),
               nk_s((unsigned)es_threads(srv)), es_max_conns(srv),
               nk_s((unsigned)es_max_conns(srv)));
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

    if (status)
        status_loop(srv);
    struct es_stats stats;
    es_join(srv, &stats); /* until a signal, or a worker's failure */
    bool failed = es_failed(srv);
    es_free(srv);
    nk_sig_restore(&sig);
    if (failed)
        nk_err(CMD, "a worker's event loop failed");
    nk_err(CMD, "%" PRIu64 " connection%s, %" PRIu64 " byte%s echoed", stats.conns,
           nk_s(stats.conns), stats.bytes, nk_s(stats.bytes));
    if (cfg->event && (stats.datagrams || stats.dropped))
        nk_err(CMD, "%" PRIu64 " datagram%s echoed, %" PRIu64 " dropped (source port 7 or 19)",
               stats.datagrams, nk_s(stats.datagrams), stats.dropped);
    return failed ? NK_FAIL : NK_OK;
}

static int run(int argc, char **argv, struct nk_ctx *ctx)
{
    static struct evlog lg; /* the workers read it until es_join */
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
        case OPT_VERBOSE:
            cfg.event = log_event;
            cfg.event_arg = &lg;
            cfg.verbose++;
            break;
        }
    if (id < 0)
        return p.status;
    lg.json = ctx->json;
    lg.verbose = cfg.verbose;
    int st = check_args(&p, &cfg);
    if (st != NK_OK)
        return st;
    return serve(&cfg, ctx);
}

/* What nc and socat users type, and what it is here. */
static const struct nk_habit habits[] = {
    {"-l", NULL, "echo-serve always listens: netkit echo-serve PORT"},
    {"-p", NULL, "the port is an argument: netkit echo-serve PORT"},
    {"-k", NULL, "echo-serve keeps listening for more connections by default"},
    {0},
};

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
    .habits = habits,
};
