/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_echo_ring.c - drive the pipe mode's in-flight ring with arbitrary reads, sends and echoes
 * (the echo possibly corrupted) and check it against a flat model of the stream. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "echo/echo_ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STREAM_MAX 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct echo_ring r;
    size_t cap = (size_t)(data[0] % 64) + 1;
    if (echo_ring_init(&r, cap) < 0)
        return 0;
    static unsigned char stream[STREAM_MAX], wire[STREAM_MAX];
    size_t in = 0, sent = 0, echoed = 0;
    for (size_t i = 1; i + 1 < size; i += 2) {
        unsigned op = data[i] % 4, n = data[i + 1] % 32;
        if (op == 0) { /* read n input bytes */
            size_t len;
            unsigned char *p = echo_ring_fill_ptr(&r, &len);
            if (len > n)
                len = n;
            if (in + len > STREAM_MAX)
                break;
            for (size_t k = 0; k < len; k++)
                p[k] = stream[in + k] = (unsigned char)(data[i + 1] * 31 + in + k);
            echo_ring_filled(&r, len);
            in += len;
        } else if (op == 1) { /* send up to n bytes */
            size_t len;
            const unsigned char *p = echo_ring_unsent_ptr(&r, &len);
            if (len > n)
                len = n;
            memcpy(wire + sent, p, len);
            if (memcmp(wire + sent, stream + sent, len) != 0)
                abort(); /* the ring sent something other than the input */
            echo_ring_sent(&r, len);
            sent += len;
        } else { /* echo n bytes back; op 3 flips one of them */
            unsigned char buf[64];
            size_t len = n;
            if (echoed + len > STREAM_MAX)
                break;
            memcpy(buf, stream + echoed, len);
            if (op == 3 && len > 0)
                buf[len / 2] ^= 1;
            uint64_t at = 0;
            unsigned char want = 0;
            enum echo_verdict v = echo_ring_verify(&r, buf, len, &at, &want);
            size_t pending = sent - echoed;
            if (op == 3 && len > 0 && len / 2 < pending) {
                if (v != ECHO_DIFFERS || at != echoed + len / 2 || want != stream[at])
                    abort();
                break;
            }
            if (len <= pending && v != ECHO_MATCH)
                abort();
            if (len > pending && (v == ECHO_MATCH || at != sent))
                abort();
            if (v != ECHO_MATCH)
                break;
            echoed += len;
        }
        if (r.acked != echoed || r.sent != sent || r.filled != in || in - echoed > cap)
            abort();
    }
    echo_ring_free(&r);
    return 0;
}
