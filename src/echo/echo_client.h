/* SPDX-License-Identifier: GPL-3.0-or-later */
/* echo_client.h - the echo client's network work: connecting (each address in turn, with a
 * timeout) and pipe mode (stdin to the server, the verified echo to stdout). Nothing here
 * prints: failures come back in an error buffer, per-address connect failures via a callback. */
#ifndef NK_ECHO_CLIENT_H
#define NK_ECHO_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/net.h"
#include "lib/nk.h"

/* Default in-flight window of the pipe mode: input is not read while this much is unechoed. */
#define ECHO_WINDOW (256 * 1024)
/* Largest UDP datagram the pipe mode sends (a longer line is split). */
#define ECHO_DGRAM_MAX 65507

/* Told about each address that could not be connected ("ADDR: connection refused"). */
typedef void (*echo_fail_fn)(void *arg, const char *msg);

/* A Unix-domain address for path. 0, or -1 with "PATH: path too long" in err. */
int echo_unix_addr(const char *path, struct net_addr *a, char err[NK_ERRLEN]);

/* Connect a socket of type (SOCK_STREAM or SOCK_DGRAM) to the first of addrs[0..n) that accepts
 * within timeout_ms each. Returns a non-blocking, close-on-exec fd and sets *used to the index of
 * the address, or -1: on_fail was told about each failure and err holds the last one. */
int echo_connect(const struct net_addr *addrs, size_t n, int type, int timeout_ms,
                 echo_fail_fn on_fail, void *arg, size_t *used, char err[NK_ERRLEN]);

/* Pipe mode settings. */
struct echo_pipe_opts {
    int in_fd;        /* input (stdin) */
    int out_fd;       /* where the echo goes (stdout) */
    int timeout_ms;   /* longest wait for an echo while bytes are in flight; 0 = none */
    size_t window;    /* in-flight bound (TCP); 0 = ECHO_WINDOW */
    size_t dgram_max; /* UDP: longest datagram; 0 = ECHO_DGRAM_MAX */
};

/* What a pipe run did. */
struct echo_pipe_result {
    uint64_t sent;     /* bytes sent to the server */
    uint64_t verified; /* bytes whose echo matched */
};

/* An interrupt (lib/sig.h: the shell's Ctrl-C) ends either mode with "interrupted at offset N".
 *
 * TCP or Unix stream: full duplex until the input ends, then half-close and wait for the whole
 * echo. 0 when every byte came back identical; -1 with err naming the stream offset where the
 * echo differed or was cut (or the I/O error). */
int echo_pipe_stream(int sock, const struct echo_pipe_opts *o, struct echo_pipe_result *res,
                     char err[NK_ERRLEN]);

/* UDP: a datagram per input line (or per dgram_max bytes), each reply awaited (timeout_ms,
 * 0 = NK_TIMEOUT_MS) and checked. 0, or -1 with err. */
int echo_pipe_dgram(int sock, const struct echo_pipe_opts *o, struct echo_pipe_result *res,
                    char err[NK_ERRLEN]);

#endif
