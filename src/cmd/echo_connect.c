/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_echo_connect.c - netkit echo-connect: the echo client and load generator.
 *
 *   netkit echo-connect [OPTIONS] HOST PORT
 *   netkit echo-connect [OPTIONS] --unix PATH
 *     (terminal)         readline prompt; each echo shown with its round-trip time
 *     (stdin not a tty)  stdin to the server, the verified echo to stdout, byte for byte
 *     -u, --udp          UDP echo        --unix PATH     a Unix-domain stream socket
 *     -4, -6             only IPv4 / IPv6 addresses      --timeout MS    connect and reply
 *     --bench            load generator: --connections N --count N | --duration S --size BYTES
 *                        --pipeline K --threads N --connect-rate N
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "echo/bench.h"
#include "cli/commands.h"
#include "echo/echo_client.h"
#include "cmd/echo_tty.h"
#include "dns/hostaddr.h"
#include "lib/loop.h"
#include "lib/paths.h"
#include "lib/sig.h"
#include "cli/msg.h"
#include "cli/out.h"
#include "cli/progress.h"

static const char *const CMD = "echo-connect";

extern const struct nk_command nk_cmd_echo_connect;

enum {
    OPT_UDP = 1,
    OPT_UNIX,
    OPT_V4,
    OPT_V6,
    OPT_TIMEOUT,
    OPT_BENCH,
    OPT_CONNECTIONS,
    OPT_COUNT,
    OPT_DURATION,
    OPT_SIZE,
    OPT_PIPELINE,
    OPT_THREADS,
    OPT_RATE,
    OPT_MSGRATE,
};

static const struct nk_opt opts[] = {
    NK_OPT_FLAG(OPT_UDP, 'u', "udp", "UDP echo: a datagram per line"),
    NK_OPT_STR(OPT_UNIX, 0, "unix", "PATH", "connect to a Unix-domain stream socket (no HOST PORT)",
               .comp = NK_COMP_FILE, .excludes = {OPT_UDP}),
    NK_OPT_FLAG(OPT_V4, '4', "ipv4", "only IPv4 addresses"),
    NK_OPT_FLAG(OPT_V6, '6', "ipv6", "only IPv6 addresses"),
    NK_OPT_INT(OPT_TIMEOUT, 0, "timeout", "MS", 1, 3600000,
               "connect timeout and longest wait for an echo (default " NK_STR(NK_TIMEOUT_MS) ")"),
    NK_OPT_FLAG(OPT_BENCH, 0, "bench",
                "load generator: verify every echo, report rate and latency (with -u: UDP, "
                "losses counted)"),
    NK_OPT_INT(OPT_CONNECTIONS, 0, "connections", "N", 1, 1000000,
               "bench: connections held open (default 1)", .requires = OPT_BENCH),
    NK_OPT_INT(OPT_COUNT, 0, "count", "N", 1, 1000000000000LL,
               "bench: messages in all (default 10000 unless --duration)", .requires = OPT_BENCH,
               .excludes = {OPT_DURATION}),
    NK_OPT_INT(OPT_DURATION, 0, "duration", "S", 1, 86400,
               "bench: send for S seconds instead of a count", .requires = OPT_BENCH),
    NK_OPT_INT(OPT_SIZE, 0, "size", "BYTES", 1, 1048576, "bench: bytes per message (default 64)",
               .requires = OPT_BENCH),
    NK_OPT_INT(OPT_PIPELINE, 0, "pipeline", "K", 1, 4096,
               "bench: messages in flight per connection (default 1)", .requires = OPT_BENCH),
    NK_OPT_INT(OPT_THREADS, 0, "threads", "N", 1, 256,
               "bench: worker threads, one event loop each (default: CPUs, at most N connections)",
               .requires = OPT_BENCH),
    NK_OPT_INT(OPT_RATE, 0, "connect-rate", "N", 1, 10000000,
               "bench: new connections per second (default 10000)", .what = "connect rate",
               .requires = OPT_BENCH),
    NK_OPT_INT(OPT_MSGRATE, 0, "rate", "N", 1, 100000000,
               "bench: open loop, N messages per second in all; latency from each message's "
               "due time (default: closed loop)",
               .what = "message rate", .requires = OPT_BENCH),
    NK_OPT_END,
};

/* Everything the command line asked for. */
struct req {
    const char *host;       /* HOST, or NULL with --unix */
    int port;               /* PORT */
    const char *unix_path;  /* --unix PATH */
    bool udp;               /* -u */
    int family;             /* AF_UNSPEC, or AF_INET/AF_INET6 from -4/-6 */
    const char *dns_server; /* the shell's `set server`, for names; NULL: resolv.conf */
    int timeout_ms;         /* --timeout; 0 = default */
    bool bench;             /* --bench */
    struct bench_opts b;    /* the bench settings */
};

static void print_fail(void *arg, const char *msg)
{
    (void)arg;
    nk_err(CMD, "%s", msg);
}

/* Resolve HOST (or build the Unix address): 0, or the exit status. */
static int addresses(const struct req *r, struct net_addr **addrs, size_t *n)
{
    char err[NK_ERRLEN];
    if (r->unix_path) {
        *addrs = calloc(1, sizeof(**addrs));
        *n = 1;
        if (!*addrs) {
            nk_err(CMD, "out of memory");
            return NK_FAIL;
        }
        if (echo_unix_addr(r->unix_path, *addrs, err) < 0) {
            free(*addrs);
            return nk_usage(CMD, "%s", err);
        }
        return NK_OK;
    }
    struct hostaddr_req hq = {.host = r->host,
                              .port = r->port,
                              .family = r->family,
                              .timeout_ms = r->timeout_ms,
                              .server = r->dns_server};
    int rc = hostaddr_lookup(&hq, addrs, n, err);
    if (rc == -2)
        return nk_usage(CMD, "%s", err);
    if (rc < 0) {
        nk_err(CMD, "%s", err);
        return NK_FAIL;
    }
    return NK_OK;
}

/* "host:port> ", with an IPv6 literal in brackets. */
static void make_prompt(const struct req *r, char *buf, size_t len)
{
    if (r->unix_path)
        snprintf(buf, len, "%s> ", r->unix_path);
    else if (strchr(r->host, ':') && r->host[0] != '[')
        snprintf(buf, len, "[%s]:%d> ", r->host, r->port);
    else
        snprintf(buf, len, "%s:%d> ", r->host, r->port);
}

/* The socket pair it connected with (after any address that failed): stderr, like them. */
static void say_pair(const struct req *r, int fd)
{
    struct net_addr local = {0}, peer = {0};
    char l[NET_ADDRSTRLEN], p[NET_ADDRSTRLEN];
    peer.len = sizeof(peer.ss);
    if (r->unix_path) {
        nk_err(CMD, "connected to %s", r->unix_path);
        return;
    }
    if (net_local_addr(fd, &local) < 0 ||
        getpeername(fd, (struct sockaddr *)&peer.ss, &peer.len) < 0)
        return;
    nk_err(CMD, "%s %s from %s", r->udp ? "sending to" : "connected to",
           net_ntop_port((struct sockaddr *)&peer.ss, p, sizeof(p)),
           net_ntop_port((struct sockaddr *)&local.ss, l, sizeof(l)));
}

static int run_client(const struct req *r, struct nk_ctx *ctx)
{
    struct net_addr *addrs;
    size_t n, used;
    char err[NK_ERRLEN];
    int rc = addresses(r, &addrs, &n);
    if (rc != NK_OK)
        return rc;
    int timeout = r->timeout_ms ? r->timeout_ms : NK_TIMEOUT_MS;
    int fd = echo_connect(addrs, n, r->udp ? SOCK_DGRAM : SOCK_STREAM, timeout, print_fail, NULL,
                          &used, err);
    free(addrs);
    if (fd < 0) {
        if (n > 1)
            nk_err(CMD, "%s: no address accepted the connection", r->host);
        return NK_FAIL;
    }
    say_pair(r, fd);
    if (isatty(STDIN_FILENO)) {
        char prompt[512], hist[4096];
        make_prompt(r, prompt, sizeof(prompt));
        struct echo_tty_opts to = {.sock = fd,
                                   .dgram = r->udp,
                                   .prompt = prompt,
                                   .history_path =
                                       nk_state_path(ECHO_TTY_HISTORY, hist, sizeof(hist)),
                                   .timeout_ms = timeout,
                                   .color = ctx->color};
        rc = echo_tty_run(&to, err);
    } else {
        struct echo_pipe_opts po = {
            .in_fd = STDIN_FILENO, .out_fd = STDOUT_FILENO, .timeout_ms = timeout};
        struct echo_pipe_result res;
        /* The echo goes straight to the descriptor: nothing may sit in stdio's buffer. */
        fflush(stdout);
        rc = r->udp ? echo_pipe_dgram(fd, &po, &res, err) : echo_pipe_stream(fd, &po, &res, err);
    }
    close(fd);
    if (rc < 0) {
        nk_err(CMD, "%s", err);
        return NK_FAIL;
    }
    return NK_OK;
}

/* Live progress on stderr while the bench runs (only on a terminal): how far (of --duration
 * or of --count) and the time left. */
static void progress_line(struct progress *line, struct bench *b, const struct bench_opts *bo)
{
    struct bench_progress p;
    bench_progress(b, &p);
    double s = progress_secs(line), rate = s > 0 ? (double)p.messages / s : 0.0;
    double done = bo->duration_ms ? s : (double)p.messages;
    double total = bo->duration_ms ? (double)bo->duration_ms / 1000.0 : (double)bo->count;
    double left = bo->duration_ms ? (s < total ? total - s : 0) : progress_eta(done, total, s);
    char lb[48];
    progress_show(line,
                  "%.1f s (%.0f%%), %s%s%" PRIu64 " messages, %.0f msgs/s, %u connected, %" PRIu64
                  " errors",
                  s, total > 0 ? 100.0 * (done < total ? done : total) / total : 0.0,
                  progress_left(lb, sizeof(lb), left), left >= 0 ? ", " : "", p.messages, rate,
                  p.connected, p.errors);
}

/* The latency distribution in bands of a 1-2-5 series of microseconds: upper bounds and
 * counts, from the first band with values to the last. Returns the number of bands. */
#define BANDS 40
static int hist_bands(const struct hist *h, double le_us[BANDS], uint64_t count[BANDS])
{
    static const double steps[3] = {1, 2, 5};
    for (int i = 0; i < BANDS; i++) {
        double p10 = 1;
        for (int j = 0; j < i / 3; j++)
            p10 *= 10;
        le_us[i] = steps[i % 3] * p10 / 10; /* 0.1 us upwards */
        count[i] = 0;
    }
    if (!h || !h->count)
        return 0;
    int lo = BANDS, hi = -1;
    for (unsigned idx = 0; idx < HIST_BUCKETS; idx++) {
        if (!h->counts[idx])
            continue;
        double us = (double)hist_highest(idx) / 1000.0;
        int band = 0;
        while (band < BANDS - 1 && le_us[band] < us)
            band++;
        count[band] += h->counts[idx];
        lo = band < lo ? band : lo;
        hi = band > hi ? band : hi;
    }
    if (hi < 0)
        return 0;
    for (int i = 0; i <= hi - lo; i++) {
        le_us[i] = le_us[lo + i];
        count[i] = count[lo + i];
    }
    return hi - lo + 1;
}

/* JSON: "histogram":[{"le_us","count"}]; on a terminal, bars with the percentile markers. */
static void print_histogram(struct out *o, const struct hist *h, const double pct_us[4], bool bars)
{
    double le[BANDS];
    uint64_t cnt[BANDS], max = 0;
    int n = hist_bands(h, le, cnt);
    for (int i = 0; i < n; i++)
        max = cnt[i] > max ? cnt[i] : max;
    static const char *const marks[4] = {"p50", "p90", "p99", "p99.9"};
    if (bars && n)
        out_text(o, "\nlatency distribution (us)\n");
    out_arr_begin(o, "histogram");
    for (int i = 0; i < n; i++) {
        out_obj_begin(o, NULL);
        out_dbl(o, "le_us", NULL, le[i]);
        out_u64(o, "count", NULL, cnt[i]);
        out_obj_end(o);
        if (!bars)
            continue;
        int w = max ? (int)((cnt[i] * 40 + max - 1) / max) : 0;
        char bar[41];
        memset(bar, '#', (size_t)w);
        bar[w] = 0;
        out_text(o, "  <= %-8g |%-40s %" PRIu64, le[i], bar, cnt[i]);
        for (int m = 0; m < 4; m++)
            if (pct_us[m] <= le[i] && (i == 0 || pct_us[m] > le[i - 1]))
                out_text(o, " %s", marks[m]);
        out_text(o, "\n");
    }
    out_arr_end(o);
}

static void print_bench(struct out *o, const struct req *r, const struct bench_result *res,
                        bool bars)
{
    const struct hist *h = res->latency;
    double us[6] = {0};
    double ps[5] = {0, 50, 90, 99, 99.9};
    for (int i = 0; i < 5; i++)
        us[i] = (double)hist_percentile(h, ps[i]) / 1000.0;
    us[5] = h->count ? (double)h->max / 1000.0 : 0;
    double rate = res->elapsed_s > 0 ? (double)res->messages / res->elapsed_s : 0;
    double mbps = res->elapsed_s > 0 ? (double)res->bytes / res->elapsed_s / 1e6 : 0;

    out_obj_begin(o, NULL);
    out_u64(o, "connections", "connections  %" PRIu64 "\n", res->connections);
    out_u64(o, "messages", "messages     %" PRIu64, res->messages);
    out_text(o, " of %zu bytes, pipeline %u, %u thread%s\n", r->b.size, r->b.pipeline, r->b.threads,
             r->b.threads == 1 ? "" : "s");
    out_u64(o, "errors", "errors       %" PRIu64, res->errors);
    out_obj_begin(o, "errors_by_kind");
    for (int k = 0; k < BENCH_E_KINDS; k++) {
        char fmt[64];
        snprintf(fmt, sizeof(fmt), " %s %%" PRIu64, bench_err_names[k]);
        out_u64(o, bench_err_names[k], res->err_by_kind[k] ? fmt : NULL, res->err_by_kind[k]);
    }
    out_obj_end(o);
    out_text(o, "\n");
    out_dbl(o, "msgs_per_s", "msgs/s       %.0f\n", rate);
    out_dbl(o, "mb_per_s", "MB/s         %.2f\n", mbps);
    out_dbl(o, "elapsed_s", "elapsed      %.3f s\n", res->elapsed_s);
    if (r->b.rate) {
        out_u64(o, "rate", "rate         %" PRIu64 " msgs/s offered", r->b.rate);
        out_dbl(o, "achieved_rate", ", %.1f achieved\n", res->achieved_rate);
        out_dbl(o, "behind_max_ms", "behind       at most %.1f ms behind schedule",
                (double)res->behind_max_us / 1000.0);
        out_u64(o, "late", ", %" PRIu64, res->late);
        out_text(o, " message%s sent over 1 ms late\n", nk_s(res->late));
    }
    if (r->b.udp) {
        out_u64(o, "lost", "lost         %" PRIu64, res->lost);
        out_text(o, " datagram%s\n", nk_s(res->lost));
    }
    out_u64(o, "size", NULL, r->b.size);
    out_u64(o, "pipeline", NULL, r->b.pipeline);
    out_u64(o, "threads", NULL, r->b.threads);
    out_text(o, "latency us  ");
    out_obj_begin(o, "latency_us");
    out_dbl(o, "min", " min %.1f", us[0]);
    out_dbl(o, "p50", "  p50 %.1f", us[1]);
    out_dbl(o, "p90", "  p90 %.1f", us[2]);
    out_dbl(o, "p99", "  p99 %.1f", us[3]);
    out_dbl(o, "p999", "  p99.9 %.1f", us[4]);
    out_dbl(o, "max", "  max %.1f", us[5]);
    out_dbl(o, "mean", "  mean %.1f\n", hist_mean(h) / 1000.0);
    out_obj_end(o);
    print_histogram(o, h, us + 1, bars);
    out_obj_end(o);
}

static int run_bench(struct req *r, struct nk_ctx *ctx)
{
    struct net_addr *addrs;
    size_t n;
    char err[NK_ERRLEN];
    int rc = addresses(r, &addrs, &n);
    if (rc != NK_OK)
        return rc;
    r->b.addr = addrs[0]; /* the bench loads one address: the first a lookup gives */
    free(addrs);
    if (!r->b.count && !r->b.duration_ms)
        r->b.count = 10000;
    if (!r->b.threads) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        r->b.threads = cpus > 0 ? (unsigned)cpus : 1;
    }
    if (r->b.threads > r->b.connections)
        r->b.threads = r->b.connections;
    r->b.timeout_ms = r->timeout_ms ? r->timeout_ms : NK_TIMEOUT_MS;
    if (bench_preflight(&r->b, err) < 0) {
        nk_err(CMD, "%s", err);
        return NK_FAIL;
    }
    /* Ctrl-C wakes the workers' loops: the bench ends at once and reports what it measured. */
    struct nk_sig_saved sig;
    nk_sig_install(false, &sig);
    struct bench *b = bench_start(&r->b, err);
    if (!b) {
        nk_sig_restore(&sig);
        nk_err(CMD, "%s", err);
        return NK_FAIL;
    }
    struct progress line;
    progress_start(&line);
    while (!bench_wait(b, line.on ? 250 : -1)) /* a terminal: a progress line 4 times a second */
        progress_line(&line, b, &r->b);
    progress_end(&line); /* cleared after any ^C, before the report */
    struct bench_result res;
    bench_finish(b, &res);
    nk_sig_restore(&sig);
    struct out *o = out_new(stdout, ctx->json, ctx->color);
    print_bench(o, r, &res, !ctx->json && isatty(STDOUT_FILENO));
    rc = out_close(o) < 0 ? NK_FAIL : NK_OK;
    if (res.errors) {
        nk_err(CMD, "%" PRIu64 " error%s; the first: %s", res.errors, res.errors == 1 ? "" : "s",
               res.first_error);
        rc = NK_FAIL;
    } else if (res.lost) {
        nk_err(CMD, "%" PRIu64 " of %" PRIu64 " datagrams lost", res.lost, res.lost + res.messages);
        rc = NK_FAIL;
    } else if (res.interrupted) {
        rc = NK_FAIL; /* the shell says "interrupted"; a script has the status */
    } else if (res.messages == 0) {
        nk_err(CMD, "no message was echoed");
        rc = NK_FAIL;
    }
    bench_result_free(&res);
    return rc;
}

static int run(int argc, char **argv, struct nk_ctx *ctx)
{
    struct req r = {.family = AF_UNSPEC,
                    .dns_server = ctx->server,
                    .timeout_ms = ctx->timeout_ms,
                    .b = {.connections = 1, .pipeline = 1, .size = 64, .connect_rate = 10000}};
    struct nk_opt_parser p;
    int id;
    nk_opt_init(&p, &nk_cmd_echo_connect, ctx, argc, argv);
    while ((id = nk_opt_next(&p)) > 0) {
        switch (id) {
        case OPT_UDP: r.udp = true; break;
        case OPT_UNIX: r.unix_path = p.arg; break;
        case OPT_TIMEOUT: r.timeout_ms = (int)p.num; break;
        case OPT_BENCH: r.bench = true; break;
        case OPT_CONNECTIONS: r.b.connections = (unsigned)p.num; break;
        case OPT_COUNT: r.b.count = (uint64_t)p.num; break;
        case OPT_DURATION: r.b.duration_ms = (uint64_t)p.num * 1000; break;
        case OPT_SIZE: r.b.size = (size_t)p.num; break;
        case OPT_PIPELINE: r.b.pipeline = (unsigned)p.num; break;
        case OPT_THREADS: r.b.threads = (unsigned)p.num; break;
        case OPT_RATE: r.b.connect_rate = (unsigned)p.num; break;
        case OPT_MSGRATE: r.b.rate = (uint64_t)p.num; break;
        }
    }
    if (id < 0)
        return p.status;
    r.family = nk_opt_family(&p, OPT_V4, OPT_V6);
    r.b.udp = r.udp;
    /* Open loop: messages must be able to go out on schedule while earlier ones are in flight. */
    if (r.b.rate && !nk_opt_seen(&p, OPT_PIPELINE))
        r.b.pipeline = 64;
    if (r.bench && r.udp && (r.b.size < 8 || r.b.size > 65507))
        return nk_usage(CMD, "--size %zu: a UDP bench sends 8-65507 bytes a datagram", r.b.size);
    /* The option table rules out --udp with --unix or --bench, --count with --duration, and
     * the bench settings without --bench. */
    if (r.unix_path) {
        if (p.argc != 0)
            return nk_usage(CMD, "'%s': no HOST or PORT with --unix", p.argv[0]);
    } else {
        if (p.argc != 2)
            return nk_usage(CMD, p.argc < 2 ? "HOST and PORT expected" : "'%s': too many arguments",
                            p.argc < 2 ? "" : p.argv[2]);
        r.host = p.argv[0];
        char err[NK_ERRLEN];
        if (net_parse_port(p.argv[1], &r.port, err) < 0)
            return nk_usage(CMD, "%s", err);
        if (r.port == 0)
            return nk_usage(CMD, "0: port out of range (1-65535)");
    }
    /* Each connection buffers its messages in flight: keep that, and the sum, within reason. */
    uint64_t per_conn = (uint64_t)r.b.pipeline * r.b.size;
    if (r.bench && per_conn > BENCH_MAX_INFLIGHT_CONN)
        return nk_usage(CMD,
                        "--pipeline %u x --size %zu: %" PRIu64 " bytes in flight per connection "
                        "(at most %u)",
                        r.b.pipeline, r.b.size, per_conn, BENCH_MAX_INFLIGHT_CONN);
    if (r.bench && per_conn * r.b.connections > BENCH_MAX_INFLIGHT)
        return nk_usage(CMD, "%u connections x %" PRIu64 " bytes in flight: more than %llu bytes",
                        r.b.connections, per_conn, (unsigned long long)BENCH_MAX_INFLIGHT);
    return r.bench ? run_bench(&r, ctx) : run_client(&r, ctx);
}

/* What nc users type, and what it is here. */
static const struct nk_habit habits[] = {
    {"-l", NULL, "to listen, type netkit echo-serve PORT"},
    {"-z", NULL, "to test ports without sending data, type netkit ports --scan HOST"},
    {"-w", NULL, "for nc's -w (the wait), type --timeout MS"},
    {0},
};

const struct nk_command nk_cmd_echo_connect = {
    .name = "echo-connect",
    .run = run,
    .opts = opts,
    .args = "HOST PORT | --unix PATH",
    .args_comp = NK_COMP_HOST,
    .args_comp2 = NK_COMP_SERVICE,
    .summary = "echo client: interactive, exact pipe, or verifying load generator",
    .details =
        "On a terminal: a prompt; each line is sent and its echo shown with the round-trip time.\n"
        "Otherwise stdin goes to the server and the echo to stdout, byte for byte; "
        "the exit status\n"
        "is 0 only if the whole echo came back identical. --bench generates load and reports\n"
        "msgs/s, MB/s and latency percentiles.",
    .habits = habits,
};
