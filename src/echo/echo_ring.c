/* SPDX-License-Identifier: GPL-3.0-or-later */
/* echo_ring.c - the in-flight window of the echo client's pipe mode. */
#include <stdlib.h>
#include <string.h>

#include "echo/echo_ring.h"

int echo_ring_init(struct echo_ring *r, size_t cap)
{
    memset(r, 0, sizeof(*r));
    r->buf = malloc(cap ? cap : 1);
    if (!r->buf)
        return -1;
    r->cap = cap ? cap : 1;
    return 0;
}

void echo_ring_free(struct echo_ring *r)
{
    free(r->buf);
    r->buf = NULL;
}

size_t echo_ring_space(const struct echo_ring *r)
{
    return r->cap - (size_t)(r->filled - r->acked);
}

unsigned char *echo_ring_fill_ptr(struct echo_ring *r, size_t *len)
{
    size_t at = (size_t)(r->filled % r->cap);
    size_t to_end = r->cap - at, space = echo_ring_space(r);
    *len = space < to_end ? space : to_end;
    return r->buf + at;
}

void echo_ring_filled(struct echo_ring *r, size_t n)
{
    r->filled += n;
}

const unsigned char *echo_ring_unsent_ptr(const struct echo_ring *r, size_t *len)
{
    size_t at = (size_t)(r->sent % r->cap);
    size_t to_end = r->cap - at, unsent = (size_t)(r->filled - r->sent);
    *len = unsent < to_end ? unsent : to_end;
    return r->buf + at;
}

void echo_ring_sent(struct echo_ring *r, size_t n)
{
    r->sent += n;
}

enum echo_verdict echo_ring_verify(struct echo_ring *r, const unsigned char *data, size_t n,
                                   uint64_t *at, unsigned char *sent_byte)
{
    while (n > 0) {
        size_t pending = (size_t)(r->sent - r->acked);
        if (pending == 0) {
            *at = r->acked;
            return ECHO_TOO_MUCH;
        }
        size_t pos = (size_t)(r->acked % r->cap);
        size_t chunk = r->cap - pos;
        if (chunk > pending)
            chunk = pending;
        if (chunk > n)
            chunk = n;
        if (memcmp(r->buf + pos, data, chunk) != 0) {
            size_t i = 0;
            while (r->buf[pos + i] == data[i])
                i++;
            r->acked += i;
            *at = r->acked;
            *sent_byte = r->buf[pos + i];
            return ECHO_DIFFERS;
        }
        r->acked += chunk;
        data += chunk;
        n -= chunk;
    }
    return ECHO_MATCH;
}
