/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_dnsbatch.c - the batch engine's adaptive window against a tiny UDP DNS responder on
 * loopback (a thread of this test): it grows while answers come back and we wait for them, up
 * to -c; it shrinks when queries are lost (and the lost ones are asked again at once); it never
 * goes below its floor; an interrupt (Ctrl-C's path) ends the run with what was handed over. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cmocka.h>

#include "dns/dnsbatch.h"
#include "dns/dnsname.h"
#include "lib/net.h"

/* The window's start and floor, as dnsbatch_int.h sets them. */
#define WIN_INIT 64
#define WIN_MIN  32
/* Names per run. */
#define NNAMES 2000

/* The responder's latency: answers go out in batches this long after their queries, as from a
 * server a little way off. Between batches the client has read everything and waits: the
 * condition under which the window grows. */
#define DELAY_MS 10

/* An answer waiting for its time. */
struct held {
    uint8_t buf[600];           /* the response */
    size_t len;                 /* its length */
    struct sockaddr_storage to; /* the client */
    socklen_t tolen;            /* its length */
    uint64_t due_ms;            /* when it goes */
};

/* The responder: answers "n<i>.test" with one A record, dropping the first query for every
 * drop_every-th name (0: none), as a full receive buffer would. */
struct responder {
    int fd;               /* its UDP socket on 127.0.0.1 */
    int stopfd;           /* eventfd: the test is done */
    int port;             /* where it listens */
    int drop_every;       /* which names lose their first query */
    uint8_t seen[NNAMES]; /* queries seen per name */
    unsigned dropped;     /* queries dropped */
    struct held *q;       /* answers not yet sent, in arrival order (a ring) */
    size_t qhead, qlen;   /* its oldest entry and length */
    pthread_t th;         /* its thread */
};

/* The index i of "n<i>.test" in a query's question (wire format), or -1. */
static int name_index(const uint8_t *q, size_t n, size_t *qend)
{
    size_t off = 12;
    if (n < 12 + 1 || q[off] < 2 || q[off + 1] != 'n')
        return -1;
    size_t len = q[off];
    int idx = 0;
    for (size_t i = 2; i <= len && off + i < n; i++)
        idx = idx * 10 + (q[off + i] - '0');
    while (off < n && q[off]) /* skip the labels */
        off += (size_t)q[off] + 1;
    if (off + 5 > n)
        return -1;
    *qend = off + 5; /* the root label, type and class */
    return idx < NNAMES ? idx : -1;
}

static uint64_t now_ms(void)
{
    return loop_clock_us() / 1000u;
}

/* Send the answers that are due; the wait until the next one (-1: none held). */
static int send_due(struct responder *r)
{
    while (r->qlen > 0) {
        struct held *h = &r->q[r->qhead];
        uint64_t now = now_ms();
        if (h->due_ms > now)
            return (int)(h->due_ms - now);
        sendto(r->fd, h->buf, h->len, 0, (struct sockaddr *)&h->to, h->tolen);
        r->qhead = (r->qhead + 1) % (2 * NNAMES);
        r->qlen--;
    }
    return -1;
}

static void *respond(void *arg)
{
    struct responder *r = arg;
    uint8_t q[512];
    for (;;) {
        struct pollfd p[2] = {{.fd = r->fd, .events = POLLIN}, {.fd = r->stopfd, .events = POLLIN}};
        if (poll(p, 2, send_due(r)) < 0 && errno != EINTR)
            break;
        if (p[1].revents)
            break;
        if (!(p[0].revents & POLLIN))
            continue;
        struct held *h = &r->q[(r->qhead + r->qlen) % (2 * NNAMES)];
        h->tolen = sizeof(h->to);
        ssize_t n = recvfrom(r->fd, q, sizeof(q), 0, (struct sockaddr *)&h->to, &h->tolen);
        size_t qend;
        int idx = n > 0 ? name_index(q, (size_t)n, &qend) : -1;
        if (idx < 0 || r->qlen == 2 * NNAMES)
            continue;
        if (r->seen[idx]++ == 0 && r->drop_every && idx % r->drop_every == 0) {
            r->dropped++;
            continue;
        }
        /* Header: the query's ID, a response with RD and RA, one question, one answer. */
        uint8_t *a = h->buf;
        memcpy(a, q, qend);
        a[2] = 0x81;
        a[3] = 0x80;
        a[6] = 0, a[7] = 1;              /* ANCOUNT */
        a[8] = a[9] = a[10] = a[11] = 0; /* NSCOUNT, ARCOUNT: no EDNS echo */
        static const uint8_t rr[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1};
        memcpy(a + qend, rr, sizeof(rr));
        h->len = qend + sizeof(rr);
        h->due_ms = now_ms() + DELAY_MS;
        r->qlen++;
    }
    return NULL;
}

static void responder_start(struct responder *r, int drop_every)
{
    struct net_addr a, bound;
    char err[NK_ERRLEN];
    memset(r, 0, sizeof(*r));
    r->drop_every = drop_every;
    r->q = calloc(2 * NNAMES, sizeof(*r->q));
    assert_non_null(r->q);
    assert_int_equal(net_parse_ip("127.0.0.1", 0, &a, err), 0);
    r->fd = net_listen(&a, SOCK_DGRAM, 0, false, err);
    assert_true(r->fd >= 0);
    int big = 4 << 20; /* the client's loss is what the test makes, not the responder's */
    setsockopt(r->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    assert_int_equal(net_local_addr(r->fd, &bound), 0);
    r->port = net_port((const struct sockaddr *)&bound.ss);
    r->stopfd = eventfd(0, EFD_CLOEXEC);
    assert_true(r->stopfd >= 0);
    assert_int_equal(pthread_create(&r->th, NULL, respond, r), 0);
}

static void responder_stop(struct responder *r)
{
    eventfd_write(r->stopfd, 1);
    pthread_join(r->th, NULL);
    close(r->fd);
    close(r->stopfd);
    free(r->q);
}

/* What the emit and progress callbacks saw. */
struct seen {
    uint64_t next;     /* the seq expected next: results come in input order */
    unsigned answered; /* results with an answer */
    unsigned max_win;  /* largest window a progress report showed */
    int stop_after;    /* interrupt (loop_interrupt_all) after this many results; 0: never */
};

static void emit(void *arg, const struct dnsb_item *it)
{
    struct seen *s = arg;
    assert_int_equal(it->seq, s->next);
    s->next++;
    if (it->res.status == DNS_S_NOERROR && it->res.nans == 1)
        s->answered++;
    if (s->stop_after && s->next == (uint64_t)s->stop_after)
        loop_interrupt_all();
}

static void progress(void *arg, const struct dnsb_stats *st, bool last)
{
    struct seen *s = arg;
    (void)last;
    if (st->window > s->max_win)
        s->max_win = st->window;
}

static char *names[NNAMES];

/* Run the batch of the first nnames names against the responder; dnsb_run's result. */
static int run_batch(const struct responder *r, int nnames, unsigned max_inflight,
                     uint64_t retry_ms, struct seen *s, struct dnsb_stats *st, char err[NK_ERRLEN])
{
    char conf[] = "/tmp/nk-dnsbatch-XXXXXX";
    int cfd = mkstemp(conf); /* an empty resolv.conf: nothing from the system's */
    assert_true(cfd >= 0);
    close(cfd);
    struct net_addr server;
    assert_int_equal(net_parse_ip("127.0.0.1", r->port, &server, err), 0);
    struct loop *l = loop_new();
    assert_non_null(l);
    struct dns_opts o = {.servers = &server,
                         .nservers = 1,
                         .resolvconf = conf,
                         .timeout_ms = 2000,
                         .tries = 3,
                         .no_search = true};
    struct dns *d = dns_new(l, &o, err);
    assert_non_null(d);
    static const int types[] = {DNS_T_A};
    struct dnsb_cfg cfg = {.dns = d,
                           .loop = l,
                           .types = types,
                           .ntypes = 1,
                           .names = names,
                           .nnames = nnames,
                           .fd = -1,
                           .max_inflight = max_inflight,
                           .retry_ms = retry_ms,
                           .emit = emit,
                           .progress = progress,
                           .arg = s};
    int rc = dnsb_run(&cfg, st, err);
    dns_free(d);
    loop_free(l);
    unlink(conf);
    return rc;
}

static int setup(void **state)
{
    (void)state;
    for (int i = 0; i < NNAMES; i++) {
        names[i] = malloc(16);
        snprintf(names[i], 16, "n%d.test", i);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < NNAMES; i++)
        free(names[i]);
    return 0;
}

/* No loss: every answer comes back while we wait for it, and the window grows to -c. */
static void grows_while_waiting(void **state)
{
    (void)state;
    struct responder r;
    struct seen s = {0};
    struct dnsb_stats st;
    char err[NK_ERRLEN];
    responder_start(&r, 0);
    assert_int_equal(run_batch(&r, NNAMES, 200, 1000, &s, &st, err), 0);
    responder_stop(&r);
    assert_int_equal(s.next, NNAMES);
    assert_int_equal(s.answered, NNAMES);
    assert_int_equal(st.failed, 0);
    assert_int_equal(st.resent, 0);
    assert_false(st.interrupted);
    assert_true(st.window > WIN_INIT); /* it grew... */
    assert_true(st.window <= 200);     /* ...but never past -c */
}

/* The window starts at -c when -c is below the usual start, and stays there without loss. */
static void small_limit_caps_the_start(void **state)
{
    (void)state;
    struct responder r;
    struct seen s = {0};
    struct dnsb_stats st;
    char err[NK_ERRLEN];
    responder_start(&r, 0);
    assert_int_equal(run_batch(&r, 400, 8, 1000, &s, &st, err), 0);
    responder_stop(&r);
    assert_int_equal(s.answered, 400);
    assert_int_equal(st.window, 8);
    assert_true(s.max_win <= 8);
}

/* A lost query halves the window and is asked again at once: every name is still answered. */
static void shrinks_on_loss(void **state)
{
    (void)state;
    struct responder clean, lossy;
    struct seen s0 = {0}, s1 = {0};
    struct dnsb_stats st0, st1;
    char err[NK_ERRLEN];
    responder_start(&clean, 0);
    assert_int_equal(run_batch(&clean, NNAMES, 1000, 1000, &s0, &st0, err), 0);
    responder_stop(&clean);
    responder_start(&lossy, 10); /* the first query of one name in ten is lost */
    assert_int_equal(run_batch(&lossy, NNAMES, 1000, 1000, &s1, &st1, err), 0);
    responder_stop(&lossy);
    assert_int_equal(lossy.dropped, NNAMES / 10);
    assert_int_equal(s1.answered, NNAMES); /* hedged retries answered every lost one */
    assert_int_equal(st1.failed, 0);
    assert_true(st1.resent >= NNAMES / 10);
    assert_true(st1.window < st0.window); /* loss kept it smaller than the same run without */
    assert_true(st1.window >= WIN_MIN);
}

/* Every first query lost: the window is cut again and again, down to its floor, never below. */
static void never_below_the_floor(void **state)
{
    (void)state;
    struct responder r;
    struct seen s = {0};
    struct dnsb_stats st;
    char err[NK_ERRLEN];
    responder_start(&r, 1);
    /* Few names and quick hedges: a lost query waits a retry interval, a few in flight. */
    assert_int_equal(run_batch(&r, 200, 1000, 50, &s, &st, err), 0);
    responder_stop(&r);
    assert_int_equal(r.dropped, 200);
    assert_int_equal(s.answered, 200);
    assert_true(st.resent >= 100);
    assert_true(st.window >= WIN_MIN);
    assert_true(st.window < WIN_INIT);
}

/* Ctrl-C's path: the loop stops, results already handed over stay, nothing more is. */
static void interrupt_ends_the_run(void **state)
{
    (void)state;
    struct responder r;
    struct seen s = {.stop_after = 100};
    struct dnsb_stats st;
    char err[NK_ERRLEN];
    responder_start(&r, 0);
    assert_int_equal(run_batch(&r, NNAMES, 50, 1000, &s, &st, err), -1);
    loop_interrupt_clear();
    responder_stop(&r);
    assert_true(st.interrupted);
    assert_string_equal(err, "interrupted");
    assert_true(s.next >= 100 && s.next < NNAMES);
    assert_int_equal(st.done, s.next);
}

/* The line splitter (issue 14): an overlong line and a line with a NUL byte are bad lines
 * naming their numbers, and the lines after them are still read, whatever the chunking. */
static void feed(struct dnsb_lines *r, const char *data, size_t n, size_t chunk, char out[][80],
                 int *nout)
{
    size_t off = 0;
    char err[NK_ERRLEN], *line;
    *nout = 0;
    for (;;) {
        int rc = dnsb_lines_next(r, &line, err);
        if (rc == -1)
            return;
        if (rc == 1)
            snprintf(out[(*nout)++], 80, "%s", line);
        else if (rc == 2)
            snprintf(out[(*nout)++], 80, "!%.70s", err);
        else {
            size_t room;
            char *p = dnsb_lines_space(r, &room);
            size_t k = n - off < chunk ? n - off : chunk;
            k = k < room ? k : room;
            assert_true(room > 0);
            memcpy(p, data + off, k);
            off += k;
            dnsb_lines_added(r, k);
        }
    }
}

static void lines(void **state)
{
    (void)state;
    size_t n = 0;
    char *data = malloc(20000);
    n += (size_t)sprintf(data + n, "a.test\n");
    memset(data + n, 'x', 5000);
    n += 5000;
    n += (size_t)sprintf(data + n, "\nb");
    data[n++] = '\0';
    n += (size_t)sprintf(data + n, "c\nlast");
    size_t chunks[] = {1, 7, 4096, 20000};
    for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
        struct dnsb_lines *r = calloc(1, sizeof(*r));
        char out[8][80];
        int nout;
        feed(r, data, n, chunks[i], out, &nout);
        assert_int_equal(nout, 4);
        assert_string_equal(out[0], "a.test");
        assert_string_equal(out[1], "!line 2: longer than 4096 bytes");
        assert_string_equal(out[2], "!line 3: contains a NUL byte");
        assert_string_equal(out[3], "last");
        free(r);
    }
    /* An overlong last line with no newline is still reported. */
    struct dnsb_lines *r = calloc(1, sizeof(*r));
    char out[8][80];
    int nout;
    feed(r, data + 7, 5000, 999, out, &nout);
    assert_int_equal(nout, 1);
    assert_string_equal(out[0], "!line 1: longer than 4096 bytes");
    free(r);
    free(data);
}

/* The names a file holds, counted as the batch reads them, from the current offset, the offset
 * left where it was; a pipe's count is unknown. */
static void count_names(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    const char text[] = "skipped.test\na.test\n\n   \n# comment\n  # indented comment\n"
                        "\tb.test  \nc.test"; /* the last line has no newline */
    assert_int_equal(fwrite(text, 1, sizeof(text) - 1, f), sizeof(text) - 1);
    fflush(f);
    int fd = fileno(f);
    assert_int_equal(lseek(fd, 13, SEEK_SET), 13); /* past the first line */
    uint64_t n = 0;
    assert_int_equal(dnsb_count_names(fd, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(lseek(fd, 0, SEEK_CUR), 13);
    assert_int_equal(lseek(fd, 0, SEEK_END), (off_t)sizeof(text) - 1);
    assert_int_equal(dnsb_count_names(fd, &n), 0); /* at the end: nothing left */
    assert_int_equal(n, 0);
    fclose(f);
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(dnsb_count_names(p[0], &n), -1);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grows_while_waiting),
        cmocka_unit_test(small_limit_caps_the_start),
        cmocka_unit_test(shrinks_on_loss),
        cmocka_unit_test(never_below_the_floor),
        cmocka_unit_test(interrupt_ends_the_run),
        cmocka_unit_test(lines),
        cmocka_unit_test(count_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
