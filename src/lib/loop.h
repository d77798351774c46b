/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loop.h - the one event loop: epoll (level-triggered by default) plus one-shot timers in a
 * binary heap (redis ae.c in spirit). Used by the echo server, the echo client and its bench,
 * the port scanner and c-ares.
 *
 * Handles are owned by the caller and embedded in its own structs (a connection embeds its
 * struct loop_io), so the loop allocates nothing per descriptor. One loop per thread; only
 * loop_stop may be called from another thread or a signal handler.
 *
 * A callback may delete and free its own handle. Freeing a *different* handle from a callback
 * is unsafe (its event may still be pending in this iteration's batch): defer it with a 0 ms timer.
 */
#ifndef NK_LOOP_H
#define NK_LOOP_H

#include <stdint.h>
#include <time.h>
#include <stddef.h>

struct loop;
struct loop_io;
struct loop_timer;

/* Called with the epoll events that fired (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, ...). */
typedef void (*loop_io_fn)(struct loop *l, struct loop_io *io, uint32_t events);
typedef void (*loop_timer_fn)(struct loop *l, struct loop_timer *t);

/* A descriptor watched by the loop. Set fd, fn and arg, then loop_io_add. */
struct loop_io {
    int fd;          /* the descriptor */
    loop_io_fn fn;   /* called when it is ready */
    void *arg;       /* caller's data */
    uint32_t events; /* the events registered now (managed by the loop) */
};

/* A one-shot timer. Set fn and arg, then loop_timer_set; re-arm from the callback if needed. */
struct loop_timer {
    uint64_t when_ms; /* deadline on loop_now_ms's clock (managed by the loop) */
    loop_timer_fn fn; /* called once at the deadline */
    void *arg;        /* caller's data */
    size_t slot;      /* heap position + 1; 0 when not armed (managed by the loop) */
};

/* NULL with errno set on failure (EMFILE: 4096 loops live at once, the most loop_interrupt_all
 * can reach). */
struct loop *loop_new(void);
void loop_free(struct loop *l);

/* Register, change or remove a descriptor. events: EPOLLIN | EPOLLOUT (| EPOLLET ...).
 * loop_io_mod with the same events is free (no system call). Return 0 or -1 with errno. */
int loop_io_add(struct loop *l, struct loop_io *io, uint32_t events);
int loop_io_mod(struct loop *l, struct loop_io *io, uint32_t events);
int loop_io_del(struct loop *l, struct loop_io *io);

/* Arm (or re-arm) t to fire after ms milliseconds; cancel is a no-op on an unarmed timer. */
int loop_timer_set(struct loop *l, struct loop_timer *t, uint64_t ms);
void loop_timer_cancel(struct loop *l, struct loop_timer *t);

/* Monotonic milliseconds, refreshed once per loop iteration (and by loop_update_time). */
uint64_t loop_now_ms(struct loop *l);
/* Monotonic microseconds, read now (for latency measurements). */
uint64_t loop_clock_us(void);
/* CLOCK_MONOTONIC ms milliseconds from now, as pthread_cond_timedwait takes a deadline on a
 * condition variable set to that clock (threads that wait for workers with a timeout). */
struct timespec loop_deadline_ts(int ms);
void loop_update_time(struct loop *l);

/* Run until loop_stop, or until no descriptor and no timer is registered: 0. -1 with errno on
 * failure, and -1 with errno EINTR after loop_interrupt_all (the caller gives up its work). */
int loop_run(struct loop *l);
/* Make loop_run return after the current iteration. Async-signal-safe and thread-safe. */
void loop_stop(struct loop *l);
/* Stop every live loop, in every thread, and make loop_run fail with EINTR until
 * loop_interrupt_clear: how Ctrl-C stops a running command (lib/sig.h calls it from the signal
 * handler). Async-signal-safe. */
void loop_interrupt_all(void);
void loop_interrupt_clear(void);
/* True between loop_interrupt_all and loop_interrupt_clear. */
int loop_interrupted(void);
/* A descriptor that is readable between loop_interrupt_all and loop_interrupt_clear, for code
 * that waits in poll() rather than in a loop: add it to the poll set and the interrupt wakes
 * the wait, with no window between a flag check and the wait. Made on first use (call it before
 * the wait, not from a signal handler); -1 with errno if it cannot be made. */
int loop_interrupt_fd(void);

/* Number of descriptors registered (excluding the loop's own). */
size_t loop_io_count(const struct loop *l);

#endif
