/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_echo_ring.c - the pipe mode's in-flight window: bounds, wrap-around, verification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "echo/echo_ring.h"

/* Read n bytes of "input" into the ring (as many calls as the wrap needs). */
static size_t fill(struct echo_ring *r, const unsigned char *src, size_t n)
{
    size_t done = 0;
    while (done < n) {
        size_t len;
        unsigned char *p = echo_ring_fill_ptr(r, &len);
        if (len == 0)
            break;
        if (len > n - done)
            len = n - done;
        memcpy(p, src + done, len);
        echo_ring_filled(r, len);
        done += len;
    }
    return done;
}

/* "Send" up to n bytes, copying them out. */
static size_t send_some(struct echo_ring *r, unsigned char *dst, size_t n)
{
    size_t done = 0;
    while (done < n) {
        size_t len;
        const unsigned char *p = echo_ring_unsent_ptr(r, &len);
        if (len == 0)
            break;
        if (len > n - done)
            len = n - done;
        memcpy(dst + done, p, len);
        echo_ring_sent(r, len);
        done += len;
    }
    return done;
}

static void test_bounded(void **state)
{
    (void)state;
    struct echo_ring r;
    unsigned char in[100], out[100];
    uint64_t at;
    unsigned char want;
    for (int i = 0; i < 100; i++)
        in[i] = (unsigned char)i;
    assert_int_equal(echo_ring_init(&r, 16), 0);
    assert_int_equal(echo_ring_space(&r), 16);
    /* Only the capacity is taken, however much input there is. */
    assert_int_equal(fill(&r, in, 100), 16);
    assert_int_equal(echo_ring_space(&r), 0);
    /* Sent bytes still occupy the ring until their echo is verified. */
    assert_int_equal(send_some(&r, out, 10), 10);
    assert_int_equal(echo_ring_space(&r), 0);
    assert_int_equal(echo_ring_verify(&r, out, 4, &at, &want), ECHO_MATCH);
    assert_int_equal(echo_ring_space(&r), 4);
    assert_int_equal(r.acked, 4);
    echo_ring_free(&r);
}

/* A long stream through a small ring, in odd-sized steps: every wrap position is crossed. */
static void test_wraparound_stream(void **state)
{
    (void)state;
    struct echo_ring r;
    unsigned char in[5000], wire[5000];
    uint64_t at;
    unsigned char want;
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)(i * 7 + 3);
    assert_int_equal(echo_ring_init(&r, 13), 0);
    size_t read_pos = 0, sent_pos = 0, echoed = 0;
    while (echoed < sizeof(in)) {
        read_pos += fill(&r, in + read_pos, sizeof(in) - read_pos < 5 ? sizeof(in) - read_pos : 5);
        sent_pos += send_some(&r, wire + sent_pos, 3);
        size_t e = sent_pos - echoed < 2 ? sent_pos - echoed : 2;
        assert_int_equal(echo_ring_verify(&r, wire + echoed, e, &at, &want), ECHO_MATCH);
        echoed += e;
        assert_true(r.acked <= r.sent && r.sent <= r.filled && r.filled - r.acked <= 13);
    }
    assert_memory_equal(wire, in, sizeof(in));
    assert_int_equal(r.acked, sizeof(in));
    echo_ring_free(&r);
}

static void test_mismatch_offset(void **state)
{
    (void)state;
    struct echo_ring r;
    unsigned char in[40], wire[40];
    uint64_t at = 0;
    unsigned char want = 0;
    memset(in, 'a', sizeof(in));
    assert_int_equal(echo_ring_init(&r, 32), 0);
    /* Move the window so the difference lies past a wrap. */
    fill(&r, in, 30);
    send_some(&r, wire, 30);
    assert_int_equal(echo_ring_verify(&r, wire, 30, &at, &want), ECHO_MATCH);
    in[5] = 'Z';
    fill(&r, in, 10);
    send_some(&r, wire, 10);
    wire[5] = 'Y';
    assert_int_equal(echo_ring_verify(&r, wire, 10, &at, &want), ECHO_DIFFERS);
    assert_int_equal(at, 35);
    assert_int_equal(want, 'Z');
    assert_int_equal(r.acked, 35); /* the bytes before the difference did match */
    echo_ring_free(&r);
}

static void test_too_much(void **state)
{
    (void)state;
    struct echo_ring r;
    unsigned char in[8] = "abcdefgh", wire[8];
    uint64_t at = 0;
    unsigned char want;
    assert_int_equal(echo_ring_init(&r, 8), 0);
    fill(&r, in, 8);
    send_some(&r, wire, 4);
    /* Bytes read but not yet sent cannot be echoed: the fifth byte is one too many. */
    assert_int_equal(echo_ring_verify(&r, in, 5, &at, &want), ECHO_TOO_MUCH);
    assert_int_equal(at, 4);
    assert_int_equal(echo_ring_verify(&r, in, 0, &at, &want), ECHO_MATCH);
    echo_ring_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bounded),
        cmocka_unit_test(test_wraparound_stream),
        cmocka_unit_test(test_mismatch_offset),
        cmocka_unit_test(test_too_much),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
