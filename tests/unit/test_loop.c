/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The event loop: timer order, cancel and re-arm, descriptor callbacks, loop_stop, and the one
 * interrupt path (lib/sig.h): a real SIGINT wakes loops in every thread and poll() users. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/loop.h"
#include "lib/sig.h"

/* Each timer appends its index to the order log. */
struct log {
    int order[64];
    int n;
};

static struct loop_timer timers[40];

static void record_idx(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct log *lg = t->arg;
    lg->order[lg->n++] = (int)(t - timers);
}

static void timers_in_order(void **state)
{
    struct loop *l = loop_new();
    struct log lg = {0};
    (void)state;
    assert_non_null(l);
    /* Deadlines 0..39 ms set in a scrambled order; two cancelled, one re-armed. */
    for (int i = 0; i < 40; i++) {
        int k = (i * 17) % 40;
        timers[k] = (struct loop_timer){.fn = record_idx, .arg = &lg};
        assert_int_equal(loop_timer_set(l, &timers[k], (uint64_t)k), 0);
    }
    loop_timer_cancel(l, &timers[5]);
    loop_timer_cancel(l, &timers[30]);
    loop_timer_cancel(l, &timers[30]); /* twice is harmless */
    loop_timer_set(l, &timers[0], 45); /* re-armed: now last */
    assert_int_equal(loop_run(l), 0);  /* returns when nothing is left */
    assert_int_equal(lg.n, 38);
    assert_int_equal(lg.order[lg.n - 1], 0);
    for (int i = 1; i < lg.n - 1; i++)
        assert_true(lg.order[i] > lg.order[i - 1]);
    loop_free(l);
}

struct pipe_state {
    struct loop_io io;
    int reads;
};

static void on_read(struct loop *l, struct loop_io *io, uint32_t ev)
{
    struct pipe_state *ps = io->arg;
    char c;
    assert_true(ev & EPOLLIN);
    if (read(io->fd, &c, 1) == 1 && c == 'x')
        ps->reads++;
    loop_io_del(l, io); /* removing itself from its own callback is allowed */
}

static void io_callback(void **state)
{
    int sv[2];
    struct loop *l = loop_new();
    (void)state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct pipe_state ps = {.io = {.fd = sv[0], .fn = on_read}};
    ps.io.arg = &ps;
    assert_int_equal(loop_io_add(l, &ps.io, EPOLLIN), 0);
    assert_int_equal(loop_io_count(l), 1);
    assert_int_equal(write(sv[1], "x", 1), 1);
    assert_int_equal(loop_run(l), 0);
    assert_int_equal(ps.reads, 1);
    assert_int_equal(loop_io_count(l), 0);
    close(sv[0]);
    close(sv[1]);
    loop_free(l);
}

static void stop_from_timer(struct loop *l, struct loop_timer *t)
{
    (void)t;
    loop_stop(l);
}

static void never(struct loop *l, struct loop_timer *t)
{
    (void)l, (void)t;
    fail_msg("a timer after loop_stop ran");
}

static void stop(void **state)
{
    struct loop *l = loop_new();
    struct loop_timer a = {.fn = stop_from_timer}, b = {.fn = never};
    (void)state;
    loop_timer_set(l, &a, 1);
    loop_timer_set(l, &b, 60000);
    uint64_t t0 = loop_clock_us();
    assert_int_equal(loop_run(l), 0);
    assert_true(loop_clock_us() - t0 < 5000000);
    loop_timer_cancel(l, &b);
    loop_free(l);
}

/* A loop with an hour-long timer, run on its own thread: only an interrupt ends it early. */
static void *run_long(void *arg)
{
    int *rc = arg;
    struct loop *l = loop_new();
    struct loop_timer t = {.fn = never};
    loop_timer_set(l, &t, 3600000);
    *rc = loop_run(l) < 0 ? errno : 0;
    loop_free(l);
    return NULL;
}

static bool readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1;
}

static void sigint_wakes_every_loop(void **state)
{
    (void)state;
    struct nk_sig_saved saved;
    int fd = loop_interrupt_fd();
    assert_true(fd >= 0);
    assert_int_equal(loop_interrupt_fd(), fd); /* one for the process */
    assert_false(readable(fd));
    nk_sig_install(true, &saved);
    int rc[2] = {-1, -1};
    pthread_t th[2];
    assert_int_equal(pthread_create(&th[0], NULL, run_long, &rc[0]), 0);
    assert_int_equal(raise(SIGINT), 0); /* the handler runs before raise returns */
    assert_int_equal(nk_sig_caught(), SIGINT);
    assert_true(loop_interrupted());
    assert_true(readable(fd));
    /* The thread's loop was woken (or will fail at once if it had not started yet), and a
     * loop started after the signal fails too, until the interrupt is dealt with. */
    assert_int_equal(pthread_create(&th[1], NULL, run_long, &rc[1]), 0);
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(rc[i], EINTR);
    }
    nk_sig_clear();
    assert_int_equal(nk_sig_caught(), 0);
    assert_false(loop_interrupted());
    assert_false(readable(fd));
    /* SIGTERM takes the same path when asked for; afterwards the old dispositions are back. */
    assert_int_equal(raise(SIGTERM), 0);
    assert_int_equal(nk_sig_caught(), SIGTERM);
    assert_true(readable(fd));
    nk_sig_clear();
    nk_sig_restore(&saved);
    struct sigaction now;
    sigaction(SIGINT, NULL, &now);
    assert_true(now.sa_handler == saved.intr.sa_handler);
    sigaction(SIGTERM, NULL, &now);
    assert_true(now.sa_handler == saved.term.sa_handler);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(timers_in_order),
        cmocka_unit_test(io_callback),
        cmocka_unit_test(stop),
        cmocka_unit_test(sigint_wakes_every_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
