/* SPDX-License-Identifier: GPL-3.0-or-later */
/* echo_ring.h - the echo client's in-flight window: bytes read from the input and not yet
 * echoed back. One ring holds them from the moment they are read until their echo is verified,
 * so the client's memory is bounded by the ring, however long the stream.
 *
 * Offsets are absolute stream positions (uint64_t), acked <= sent <= filled:
 *   [acked, sent)   sent to the server, echo not yet seen
 *   [sent, filled)  read from the input, not yet sent
 * Pure: no I/O, so unit tests and the fuzzer drive it directly.
 */
#ifndef NK_ECHO_RING_H
#define NK_ECHO_RING_H

#include <stddef.h>
#include <stdint.h>

struct echo_ring {
    unsigned char *buf; /* cap bytes, indexed by offset % cap */
    size_t cap;         /* capacity: the most bytes in flight */
    uint64_t acked;     /* stream offset up to which the echo matched */
    uint64_t sent;      /* stream offset up to which bytes went to the server */
    uint64_t filled;    /* stream offset up to which bytes came from the input */
};

/* Outcome of echo_ring_verify. */
enum echo_verdict {
    ECHO_MATCH = 0,     /* every byte matched what was sent */
    ECHO_DIFFERS = -1,  /* a byte differs: *at is its offset */
    ECHO_TOO_MUCH = -2, /* more bytes came back than were sent: *at is the first extra one */
};

/* 0, or -1 when out of memory. */
int echo_ring_init(struct echo_ring *r, size_t cap);
void echo_ring_free(struct echo_ring *r);

/* Free room for input. */
size_t echo_ring_space(const struct echo_ring *r);
/* The contiguous free region to read input into (*len may be 0); then echo_ring_filled(n). */
unsigned char *echo_ring_fill_ptr(struct echo_ring *r, size_t *len);
void echo_ring_filled(struct echo_ring *r, size_t n);
/* The contiguous unsent region (*len may be 0); then echo_ring_sent(n). */
const unsigned char *echo_ring_unsent_ptr(const struct echo_ring *r, size_t *len);
void echo_ring_sent(struct echo_ring *r, size_t n);

/* Check n echoed bytes against what was sent; acked advances over the bytes that matched. On a
 * difference, *at is its offset and *sent_byte the byte that was expected. */
enum echo_verdict echo_ring_verify(struct echo_ring *r, const unsigned char *data, size_t n,
                                   uint64_t *at, unsigned char *sent_byte);

#endif
