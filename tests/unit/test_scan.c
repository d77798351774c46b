/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_scan.c - the scanner's state machine against real loopback sockets: listeners (open), a
 * bound port nobody listens on (refused), a listener whose accept queue is full (its SYNs are
 * dropped: timeout), the multi-thread split of a large scan, and an interrupt (Ctrl-C's path:
 * loop_interrupt_all) in the middle of a scan. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/loop.h"
#include "lib/net.h"
#include "ports/scan.h"

/* A TCP socket on 127.0.0.1, port picked by the kernel: listening (backlog) or only bound
 * (backlog < 0). Returns the fd; *port gets the port. */
static int tcp_socket(int backlog, int *port)
{
    struct net_addr a;
    char err[NK_ERRLEN];
    assert_int_equal(net_parse_ip("127.0.0.1", 0, &a, err), 0);
    int fd;
    if (backlog >= 0) {
        fd = net_listen(&a, SOCK_STREAM, backlog, false, err);
    } else {
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_int_equal(bind(fd, (struct sockaddr *)&a.ss, a.len), 0);
    }
    assert_true(fd >= 0);
    struct net_addr bound;
    assert_int_equal(net_local_addr(fd, &bound), 0);
    *port = net_port((const struct sockaddr *)&bound.ss);
    return fd;
}

static struct scan_req request(struct portspec *ps, int timeout_ms, int concurrency)
{
    static struct net_addr lo;
    struct scan_req r = {.addrs = &lo,
                         .naddrs = 1,
                         .ports = ps,
                         .timeout_ms = timeout_ms,
                         .concurrency = concurrency};
    char err[NK_ERRLEN];
    assert_int_equal(net_parse_ip("127.0.0.1", 0, &lo, err), 0);
    return r;
}

static void add(struct portspec *ps, int port)
{
    portspec_add_range(ps, port, port);
}

/* Connect to a listener and wait until the connection is established (in its accept queue). */
static int connect_established(int port)
{
    struct net_addr a;
    char err[NK_ERRLEN];
    assert_int_equal(net_parse_ip("127.0.0.1", port, &a, err), 0);
    int fd = net_connect_nb(&a, SOCK_STREAM, err);
    assert_true(fd >= 0);
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    assert_int_equal(poll(&p, 1, 10000), 1);
    int soerr = -1;
    socklen_t sl = sizeof(soerr);
    assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl), 0);
    assert_int_equal(soerr, 0);
    return fd;
}

static void open_refused_timeout(void **state)
{
    (void)state;
    int open_port[3], open_fd[3], closed_port, timeout_port;
    for (int i = 0; i < 3; i++)
        open_fd[i] = tcp_socket(16, &open_port[i]);
    int closed_fd = tcp_socket(-1, &closed_port); /* bound: nobody else can listen there */
    /* Backlog 0 holds one connection; with it queued and never accepted, new SYNs are dropped. */
    int full_fd = tcp_socket(0, &timeout_port);
    int filler = connect_established(timeout_port);

    struct portspec *ps = calloc(1, sizeof(*ps));
    struct scan_result *res = malloc(sizeof(*res));
    assert_non_null(ps);
    assert_non_null(res);
    for (int i = 0; i < 3; i++)
        add(ps, open_port[i]);
    add(ps, closed_port);
    add(ps, timeout_port);
    struct scan_req r = request(ps, 300, 8);
    char err[NK_ERRLEN];
    assert_int_equal(scan_run(&r, res, err), 0);

    for (int i = 0; i < 3; i++)
        assert_int_equal(scan_state_of(res, 0, open_port[i]), SCAN_OPEN);
    assert_int_equal(scan_state_of(res, 0, closed_port), SCAN_REFUSED);
    assert_int_equal(scan_state_of(res, 0, timeout_port), SCAN_TIMEOUT);
    assert_int_equal(scan_state_of(res, 0, 1), SCAN_UNTRIED); /* not in the list */
    assert_false(res->interrupted);
    assert_int_equal(res->stats.total, 5);
    assert_int_equal(res->stats.done, 5);
    assert_int_equal(res->stats.open, 3);
    assert_int_equal(res->stats.by[SCAN_REFUSED], 1);
    assert_int_equal(res->stats.by[SCAN_TIMEOUT], 1);
    assert_int_equal(res->stats.filtered - res->stats.by[SCAN_TIMEOUT], 0);
    /* The timeout was waited for (give or take the loop's cached millisecond clock). */
    assert_true(res->stats.elapsed_ms >= 250);
    assert_int_equal(res->concurrency, 5); /* never more slots than ports */
    assert_int_equal(res->threads, 1);

    close(filler);
    close(full_fd);
    close(closed_fd);
    for (int i = 0; i < 3; i++)
        close(open_fd[i]);
    free(ps);
    scan_result_free(res);
    free(res);
}

/* A single slot goes through every state in turn: each finished port starts the next. */
static void one_slot_walks_the_list(void **state)
{
    (void)state;
    int lport, cport[4];
    int lfd = tcp_socket(16, &lport), cfd[4];
    struct portspec *ps = calloc(1, sizeof(*ps));
    struct scan_result *res = malloc(sizeof(*res));
    add(ps, lport);
    for (int i = 0; i < 4; i++) {
        cfd[i] = tcp_socket(-1, &cport[i]);
        add(ps, cport[i]);
    }
    struct scan_req r = request(ps, 2000, 1);
    char err[NK_ERRLEN];
    assert_int_equal(scan_run(&r, res, err), 0);
    assert_int_equal(res->concurrency, 1);
    assert_int_equal(scan_state_of(res, 0, lport), SCAN_OPEN);
    for (int i = 0; i < 4; i++)
        assert_int_equal(scan_state_of(res, 0, cport[i]), SCAN_REFUSED);
    assert_int_equal(res->stats.done, 5);
    for (int i = 0; i < 4; i++)
        close(cfd[i]);
    close(lfd);
    free(ps);
    scan_result_free(res);
    free(res);
}

/* A large scan runs one loop per CPU (at most 4), sharing one cursor over the ports. */
static void large_scan_splits_over_threads(void **state)
{
    (void)state;
    int lport, cport;
    int lfd = tcp_socket(64, &lport), cfd = tcp_socket(-1, &cport);
    struct portspec *ps = calloc(1, sizeof(*ps));
    struct scan_result *res = malloc(sizeof(*res));
    /* 8192 ports around the listener: two threads' worth (on a machine with two CPUs or more). */
    int lo = lport > 4096 ? lport - 4096 : 1;
    portspec_add_range(ps, lo, lo + 8191);
    add(ps, cport);
    struct scan_req r = request(ps, 1000, 256);
    char err[NK_ERRLEN];
    assert_int_equal(scan_run(&r, res, err), 0);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    assert_int_equal(res->threads, cpus >= 2 ? 2 : 1);
    assert_int_equal(res->stats.done, res->stats.total); /* every port, exactly once */
    assert_int_equal(res->stats.total, ps->count);
    size_t counted = 0;
    for (int p = portspec_next(ps, 0); p >= 0; p = portspec_next(ps, p + 1))
        counted += scan_state_of(res, 0, p) != SCAN_UNTRIED;
    assert_int_equal(counted, ps->count);
    assert_int_equal(scan_state_of(res, 0, lport), SCAN_OPEN);
    assert_int_equal(scan_state_of(res, 0, cport), SCAN_REFUSED);
    assert_true(res->stats.open >= 1);
    close(cfd);
    close(lfd);
    free(ps);
    scan_result_free(res);
    free(res);
}

/* Progress callback that interrupts the scan the way SIGINT does (lib/sig.h's handler). */
static void interrupt_now(const struct scan_stats *st, void *arg)
{
    int *calls = arg;
    (void)st;
    if ((*calls)++ == 0)
        loop_interrupt_all();
}

static void interrupt_stops_the_scan(void **state)
{
    (void)state;
    int lport, full_port;
    int lfd = tcp_socket(16, &lport), full_fd = tcp_socket(0, &full_port);
    int filler = connect_established(full_port);
    struct portspec *ps = calloc(1, sizeof(*ps));
    struct scan_result *res = malloc(sizeof(*res));
    add(ps, lport);
    add(ps, full_port);
    /* Both at once: the open port answers inside connect, the dropped SYN would wait an hour. */
    struct scan_req r = request(ps, 3600000, 2);
    int calls = 0;
    r.progress = interrupt_now;
    r.progress_arg = &calls;
    char err[NK_ERRLEN];
    uint64_t t0 = loop_clock_us();
    assert_int_equal(scan_run(&r, res, err), 0); /* it ran, and was interrupted */
    assert_true(loop_clock_us() - t0 < 10 * 1000000u);
    assert_true(res->interrupted);
    assert_int_equal(calls, 1);
    assert_int_equal(scan_state_of(res, 0, lport), SCAN_OPEN);
    assert_int_equal(scan_state_of(res, 0, full_port), SCAN_UNTRIED); /* given up, not judged */
    assert_int_equal(res->stats.done, 1);
    scan_result_free(res);

    /* Until the interrupt is cleared, a new scan stops at once; after, it runs. */
    assert_int_equal(scan_run(&r, res, err), 0);
    assert_true(res->interrupted);
    assert_int_equal(res->stats.done, 0);
    scan_result_free(res);
    loop_interrupt_clear();
    r.progress = NULL;
    r.timeout_ms = 200;
    assert_int_equal(scan_run(&r, res, err), 0);
    assert_false(res->interrupted);
    assert_int_equal(scan_state_of(res, 0, lport), SCAN_OPEN);
    assert_int_equal(scan_state_of(res, 0, full_port), SCAN_TIMEOUT);

    close(filler);
    close(full_fd);
    close(lfd);
    free(ps);
    scan_result_free(res);
    free(res);
}

/* Three addresses of two families in one scan: each has its own states and counts, and a slot
 * moving between the families gets a socket of the right one. */
static void several_addresses(void **state)
{
    (void)state;
    int lport;
    int lfd = tcp_socket(16, &lport); /* on 127.0.0.1 only */
    struct portspec *ps = calloc(1, sizeof(*ps));
    struct scan_result *res = malloc(sizeof(*res));
    assert_non_null(ps);
    assert_non_null(res);
    add(ps, lport);
    add(ps, 1);
    struct net_addr a[3];
    char err[NK_ERRLEN];
    assert_int_equal(net_parse_ip("127.0.0.2", 0, &a[0], err), 0);
    assert_int_equal(net_parse_ip("127.0.0.1", 0, &a[1], err), 0);
    assert_int_equal(net_parse_ip("::1", 0, &a[2], err), 0);
    struct scan_req r = {
        .addrs = a, .naddrs = 3, .ports = ps, .timeout_ms = 2000, .concurrency = 2};
    assert_int_equal(scan_run(&r, res, err), 0);
    assert_int_equal(res->naddrs, 3);
    assert_int_equal(res->stats.total, 6);
    assert_int_equal(res->stats.done, 6);
    assert_int_equal(res->stats.open, 1);
    assert_int_equal(res->stats.closed, 5);
    assert_int_equal(scan_state_of(res, 0, lport), SCAN_REFUSED);
    assert_int_equal(scan_state_of(res, 1, lport), SCAN_OPEN);
    assert_int_equal(scan_state_of(res, 2, lport), SCAN_REFUSED);
    assert_int_equal(scan_state_of(res, 1, 1), SCAN_REFUSED);
    assert_int_equal(scan_state_of(res, 1, 2), SCAN_UNTRIED);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(res->host[i].total, 2);
        assert_int_equal(res->host[i].done, 2);
        assert_int_equal(res->host[i].open, i == 1);
        assert_int_equal(res->host[i].by[SCAN_REFUSED], i == 1 ? 1 : 2);
    }
    assert_string_equal(scan_reason_name(SCAN_PROHIBITED), "admin-prohibited");
    assert_string_equal(scan_verdict_name(scan_verdict(SCAN_PORT_UNREACH)), "closed");
    assert_string_equal(scan_verdict_name(scan_verdict(SCAN_NET_UNREACH)), "filtered");
    scan_result_free(res);
    free(res);
    free(ps);
    close(lfd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(several_addresses),
        cmocka_unit_test(open_refused_timeout),
        cmocka_unit_test(one_slot_walks_the_list),
        cmocka_unit_test(large_scan_splits_over_threads),
        cmocka_unit_test(interrupt_stops_the_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
