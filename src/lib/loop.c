/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loop.c - epoll plus a binary heap of timers; an eventfd wakes the loop for loop_stop. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "lib/loop.h"

/* Events fetched per epoll_wait: enough to batch a busy server, small enough for the stack. */
#define LOOP_BATCH 256

/* Live loops, so that loop_interrupt_all (from a signal handler) can wake each one. A fixed
 * array (a signal handler cannot follow a list that another thread is changing), larger than
 * any thread count netkit allows (echo-serve --threads 1024): every loop can be interrupted. */
#define LOOP_REGISTRY 4096
static _Atomic(struct loop *) registry[LOOP_REGISTRY];
static atomic_int interrupted; /* lock-free, so a signal handler may set it; threads read it */
/* eventfd readable while interrupted, for code that polls descriptors itself; -1 until asked. */
static _Atomic int intr_fd = -1;

struct loop {
    int slot;                 /* index in registry (-1 only while loop_new fails) */
    int epfd;                 /* the epoll instance */
    int wakefd;               /* eventfd written by loop_stop */
    atomic_int stop;          /* set by loop_stop (any thread); cleared when loop_run returns */
    size_t nio;               /* descriptors registered by callers */
    uint64_t now_ms;          /* cached monotonic time */
    struct loop_timer **heap; /* min-heap on when_ms */
    size_t nheap, capheap;    /* its size and capacity */
};

uint64_t loop_clock_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct timespec loop_deadline_ts(int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

void loop_update_time(struct loop *l)
{
    l->now_ms = loop_clock_us() / 1000u;
}

uint64_t loop_now_ms(struct loop *l)
{
    return l->now_ms;
}

struct loop *loop_new(void)
{
    struct loop *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    l->slot = -1;
    l->wakefd = -1;
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    l->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (l->epfd < 0 || l->wakefd < 0)
        goto fail;
    /* data.ptr NULL marks the wake-up descriptor. */
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->wakefd, &ev) < 0)
        goto fail;
    l->slot = -1;
    for (int i = 0; i < LOOP_REGISTRY && l->slot < 0; i++) {
        struct loop *none = NULL;
        if (atomic_compare_exchange_strong(&registry[i], &none, l))
            l->slot = i;
    }
    if (l->slot < 0) { /* a loop that no interrupt could reach would hang its caller */
        errno = EMFILE;
        goto fail;
    }
    loop_update_time(l);
    return l;
fail:;
    int e = errno;
    loop_free(l);
    errno = e;
    return NULL;
}

void loop_free(struct loop *l)
{
    if (!l)
        return;
    if (l->slot >= 0)
        atomic_store(&registry[l->slot], NULL);
    if (l->epfd >= 0)
        close(l->epfd);
    if (l->wakefd >= 0)
        close(l->wakefd);
    free(l->heap);
    free(l);
}

int loop_io_add(struct loop *l, struct loop_io *io, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = io};
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, io->fd, &ev) < 0)
        return -1;
    io->events = events;
    l->nio++;
    return 0;
}

int loop_io_mod(struct loop *l, struct loop_io *io, uint32_t events)
{
    if (io->events == events)
        return 0;
    struct epoll_event ev = {.events = events, .data.ptr = io};
    if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, io->fd, &ev) < 0)
        return -1;
    io->events = events;
    return 0;
}

int loop_io_del(struct loop *l, struct loop_io *io)
{
    if (epoll_ctl(l->epfd, EPOLL_CTL_DEL, io->fd, NULL) < 0)
        return -1;
    io->events = 0;
    l->nio--;
    return 0;
}

size_t loop_io_count(const struct loop *l)
{
    return l->nio;
}

/* Heap helpers: slot is index + 1 so that 0 means "not armed". */
static void heap_place(struct loop *l, size_t i, struct loop_timer *t)
{
    l->heap[i] = t;
    t->slot = i + 1;
}

static void sift_up(struct loop *l, size_t i)
{
    struct loop_timer *t = l->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (l->heap[parent]->when_ms <= t->when_ms)
            break;
        heap_place(l, i, l->heap[parent]);
        i = parent;
    }
    heap_place(l, i, t);
}

static void sift_down(struct loop *l, size_t i)
{
    struct loop_timer *t = l->heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= l->nheap)
            break;
        if (c + 1 < l->nheap && l->heap[c + 1]->when_ms < l->heap[c]->when_ms)
            c++;
        if (t->when_ms <= l->heap[c]->when_ms)
            break;
        heap_place(l, i, l->heap[c]);
        i = c;
    }
    heap_place(l, i, t);
}

void loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
    if (!t->slot)
        return;
    size_t i = t->slot - 1;
    t->slot = 0;
    struct loop_timer *last = l->heap[--l->nheap];
    if (i == l->nheap)
        return;
    heap_place(l, i, last);
    sift_down(l, i);
    sift_up(l, last->slot - 1);
}

int loop_timer_set(struct loop *l, struct loop_timer *t, uint64_t ms)
{
    loop_timer_cancel(l, t);
    if (l->nheap == l->capheap) {
        size_t cap = l->capheap ? 2 * l->capheap : 64;
        struct loop_timer **h = realloc(l->heap, cap * sizeof(*h));
        if (!h)
            return -1;
        l->heap = h;
        l->capheap = cap;
    }
    t->when_ms = l->now_ms + ms;
    heap_place(l, l->nheap++, t);
    sift_up(l, l->nheap - 1);
    return 0;
}

void loop_stop(struct loop *l)
{
    uint64_t one = 1;
    l->stop = 1;
    /* Only a full counter fails, and then a wake-up is already pending. */
    ssize_t r = write(l->wakefd, &one, sizeof(one));
    (void)r;
}

void loop_interrupt_all(void)
{
    interrupted = 1;
    int fd = atomic_load(&intr_fd);
    if (fd >= 0) {
        uint64_t one = 1;
        ssize_t r = write(fd, &one, sizeof(one)); /* only a full counter fails: still readable */
        (void)r;
    }
    for (int i = 0; i < LOOP_REGISTRY; i++) {
        struct loop *l = atomic_load(&registry[i]);
        if (l)
            loop_stop(l);
    }
}

void loop_interrupt_clear(void)
{
    interrupted = 0;
    int fd = atomic_load(&intr_fd);
    if (fd >= 0) {
        uint64_t v;
        ssize_t r = read(fd, &v, sizeof(v)); /* EAGAIN when it was not readable: fine */
        (void)r;
    }
}

int loop_interrupt_fd(void)
{
    int fd = atomic_load(&intr_fd);
    if (fd >= 0)
        return fd;
    int mine = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (mine < 0)
        return -1;
    int none = -1;
    if (!atomic_compare_exchange_strong(&intr_fd, &none, mine)) {
        close(mine); /* another thread was first */
        return none;
    }
    if (interrupted) { /* an interrupt from before the descriptor existed */
        uint64_t one = 1;
        ssize_t r = write(mine, &one, sizeof(one));
        (void)r;
    }
    return mine;
}

int loop_interrupted(void)
{
    return interrupted;
}

/* Run every timer whose deadline has passed; returns the wait until the next one (-1: none). */
static int run_timers(struct loop *l)
{
    while (l->nheap > 0 && !l->stop) {
        struct loop_timer *t = l->heap[0];
        if (t->when_ms > l->now_ms) {
            uint64_t wait = t->when_ms - l->now_ms;
            return wait > 60000 ? 60000 : (int)wait;
        }
        loop_timer_cancel(l, t);
        t->fn(l, t);
        loop_update_time(l);
    }
    return l->nheap > 0 ? 0 : -1;
}

int loop_run(struct loop *l)
{
    struct epoll_event evs[LOOP_BATCH];
    int rc = 0;
    loop_update_time(l);
    while (!l->stop && !interrupted) {
        int wait = run_timers(l);
        if (l->stop || (l->nio == 0 && l->nheap == 0))
            break;
        int n = epoll_wait(l->epfd, evs, LOOP_BATCH, wait);
        loop_update_time(l);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        for (int i = 0; i < n && !l->stop; i++) {
            struct loop_io *io = evs[i].data.ptr;
            if (!io) {
                uint64_t v;
                ssize_t r = read(l->wakefd, &v, sizeof(v));
                (void)r;
                continue;
            }
            io->fn(l, io, evs[i].events);
        }
    }
    l->stop = 0;
    if (interrupted) {
        errno = EINTR;
        return -1;
    }
    return rc;
}
