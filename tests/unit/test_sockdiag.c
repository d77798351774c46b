/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_sockdiag.c - the sock_diag reply parser, fed dumps recorded by
 * tests/fixtures/sockdiag/record.py (which documents the sockets in them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <cmocka.h>

#include "ports/sockdiag.h"

static unsigned char *load(const char *name, size_t *len)
{
    const char *dir = getenv("NETKIT_FIXTURES");
    char path[512];
    snprintf(path, sizeof(path), "%s/sockdiag/%s", dir ? dir : "tests/fixtures", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *buf = malloc(65536);
    assert_non_null(buf);
    *len = fread(buf, 1, 65536, f);
    fclose(f);
    return buf;
}

static int parse_file(const char *name, int ipproto, struct sockvec *v, char err[NK_ERRLEN])
{
    size_t len;
    unsigned char *buf = load(name, &len);
    int r = sockdiag_parse(buf, len, ipproto, 0, v, err);
    free(buf);
    return r;
}

static const struct sockent *find(const struct sockvec *v, int lport, int pport)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i].lport == lport && v->v[i].pport == pport)
            return &v->v[i];
    return NULL;
}

static void expect_v4(const uint8_t *a, const char *text)
{
    char buf[INET_ADDRSTRLEN];
    assert_non_null(inet_ntop(AF_INET, a, buf, sizeof(buf)));
    assert_string_equal(buf, text);
}

static void test_tcp4(void **state)
{
    (void)state;
    struct sockvec v = {0};
    char err[NK_ERRLEN];
    assert_int_equal(parse_file("tcp4.bin", IPPROTO_TCP, &v, err), 0);
    assert_int_equal(v.n, 4);
    const struct sockent *s = find(&v, 8080, 0);
    assert_non_null(s);
    assert_int_equal(s->family, AF_INET);
    assert_int_equal(s->ipproto, IPPROTO_TCP);
    assert_int_equal(s->state, TCP_LISTEN);
    assert_true(sockdiag_listening(s));
    assert_string_equal(sockdiag_state_name(s), "LISTEN");
    expect_v4(s->local, "127.0.0.1");
    assert_true(s->inode != 0);
    s = find(&v, 2222, 0);
    assert_non_null(s);
    expect_v4(s->local, "0.0.0.0");
    s = find(&v, 40000, 8080);
    assert_non_null(s);
    assert_int_equal(s->state, TCP_ESTABLISHED);
    assert_false(sockdiag_listening(s));
    assert_string_equal(sockdiag_state_name(s), "ESTAB");
    expect_v4(s->peer, "127.0.0.1");
    assert_non_null(find(&v, 8080, 40000));
    sockdiag_sort(&v);
    /* local address order: 0.0.0.0 first, then 127.0.0.1 by port, then by peer */
    assert_int_equal(v.v[0].lport, 2222);
    assert_int_equal(v.v[1].lport, 8080);
    assert_int_equal(v.v[1].pport, 0);
    assert_int_equal(v.v[2].lport, 8080);
    assert_int_equal(v.v[2].pport, 40000);
    assert_int_equal(v.v[3].lport, 40000);
    sockdiag_free(&v);
}

static void test_tcp6_udp(void **state)
{
    (void)state;
    struct sockvec v = {0};
    char err[NK_ERRLEN];
    assert_int_equal(parse_file("tcp6.bin", IPPROTO_TCP, &v, err), 0);
    assert_int_equal(v.n, 1);
    assert_int_equal(v.v[0].family, AF_INET6);
    assert_int_equal(v.v[0].lport, 8443);
    assert_int_equal(v.v[0].local[15], 1); /* ::1 */
    assert_int_equal(parse_file("udp4.bin", IPPROTO_UDP, &v, err), 0);
    assert_int_equal(parse_file("udp6.bin", IPPROTO_UDP, &v, err), 0);
    assert_int_equal(v.n, 4);
    const struct sockent *s = find(&v, 5353, 0);
    assert_non_null(s);
    assert_int_equal(s->ipproto, IPPROTO_UDP);
    assert_true(sockdiag_listening(s));
    assert_string_equal(sockdiag_state_name(s), "UNCONN");
    s = find(&v, 5354, 53);
    assert_non_null(s);
    assert_false(sockdiag_listening(s)); /* connected UDP */
    s = find(&v, 5355, 0);
    assert_non_null(s);
    assert_int_equal(s->family, AF_INET6);
    assert_true(sockdiag_listening(s));
    sockdiag_sort(&v);
    assert_int_equal(v.v[0].ipproto, IPPROTO_TCP); /* tcp first, then udp v4, then v6 */
    assert_int_equal(v.v[3].family, AF_INET6);
    sockdiag_free(&v);
}

static void test_error_reply(void **state)
{
    (void)state;
    struct sockvec v = {0};
    char err[NK_ERRLEN];
    assert_int_equal(parse_file("error.bin", IPPROTO_TCP, &v, err), -1);
    assert_string_equal(err, "sock_diag: no such file or directory");
    sockdiag_free(&v);
}

/* Every prefix of a dump: never past the buffer (ASan watches), never "done" early, and cut
 * at a message boundary it asks for more. */
static void test_truncated_and_split(void **state)
{
    (void)state;
    size_t len;
    unsigned char *buf = load("tcp4.bin", &len);
    char err[NK_ERRLEN];
    for (size_t cut = 0; cut < len; cut++) {
        struct sockvec v = {0};
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, buf, cut);
        int r = sockdiag_parse(copy, cut, IPPROTO_TCP, 0, &v, err);
        assert_true(r == 1 || r == -1);
        free(copy);
        sockdiag_free(&v);
    }
    /* Split after the first message: the two halves give the whole. */
    struct nlmsghdr h;
    memcpy(&h, buf, sizeof(h));
    size_t first = NLMSG_ALIGN(h.nlmsg_len);
    struct sockvec v = {0};
    assert_int_equal(sockdiag_parse(buf, first, IPPROTO_TCP, 0, &v, err), 1);
    assert_int_equal(v.n, 1);
    assert_int_equal(sockdiag_parse(buf + first, len - first, IPPROTO_TCP, 0, &v, err), 0);
    assert_int_equal(v.n, 4);
    sockdiag_free(&v);
    /* A reply to another request is refused. */
    assert_int_equal(sockdiag_parse(buf, len, IPPROTO_TCP, h.nlmsg_seq + 1, &v, err), -1);
    assert_non_null(strstr(err, "unexpected sequence number"));
    assert_int_equal(sockdiag_parse(buf, len, IPPROTO_TCP, h.nlmsg_seq, &v, err), 0);
    sockdiag_free(&v);
    free(buf);
}

static void test_synthetic(void **state)
{
    (void)state;
    struct sockvec v = {0};
    char err[NK_ERRLEN];
    unsigned char buf[64] = {0};
    struct nlmsghdr h = {.nlmsg_len = 8, .nlmsg_type = 20};
    memcpy(buf, &h, sizeof(h));
    assert_int_equal(sockdiag_parse(buf, 16, IPPROTO_TCP, 0, &v, err), -1);
    assert_non_null(strstr(err, "bad message length 8"));
    h.nlmsg_len = 200;
    memcpy(buf, &h, sizeof(h));
    assert_int_equal(sockdiag_parse(buf, 64, IPPROTO_TCP, 0, &v, err), -1);
    /* A socket message too short for inet_diag_msg. */
    h.nlmsg_len = 32;
    memcpy(buf, &h, sizeof(h));
    assert_int_equal(sockdiag_parse(buf, 32, IPPROTO_TCP, 0, &v, err), -1);
    assert_string_equal(err, "sock_diag: truncated socket message");
    /* An acknowledgement (NLMSG_ERROR with 0) ends the dump. */
    struct nlmsgerr e = {0};
    h.nlmsg_len = (uint32_t)(sizeof(h) + sizeof(e));
    h.nlmsg_type = NLMSG_ERROR;
    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), &e, sizeof(e));
    assert_int_equal(sockdiag_parse(buf, h.nlmsg_len, IPPROTO_TCP, 0, &v, err), 0);
    /* A NOOP is skipped; an empty buffer wants more. */
    h.nlmsg_len = sizeof(h);
    h.nlmsg_type = NLMSG_NOOP;
    memcpy(buf, &h, sizeof(h));
    assert_int_equal(sockdiag_parse(buf, sizeof(h), IPPROTO_TCP, 0, &v, err), 1);
    assert_int_equal(sockdiag_parse(buf, 0, IPPROTO_TCP, 0, &v, err), 1);
    assert_int_equal(v.n, 0);
    sockdiag_free(&v);
}

static void test_state_names(void **state)
{
    (void)state;
    struct sockent s = {.ipproto = IPPROTO_TCP};
    s.state = TCP_TIME_WAIT;
    assert_string_equal(sockdiag_state_name(&s), "TIME-WAIT");
    s.state = TCP_SYN_SENT;
    assert_string_equal(sockdiag_state_name(&s), "SYN-SENT");
    s.state = 200;
    assert_string_equal(sockdiag_state_name(&s), "UNKNOWN");
    s.state = TCP_CLOSE;
    assert_false(sockdiag_listening(&s)); /* a closed TCP socket is not listening */
    s.ipproto = IPPROTO_UDP;
    assert_false(sockdiag_listening(&s)); /* unbound UDP (port 0) */
    s.lport = 53;
    assert_true(sockdiag_listening(&s));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp4),        cmocka_unit_test(test_tcp6_udp),
        cmocka_unit_test(test_error_reply), cmocka_unit_test(test_truncated_and_split),
        cmocka_unit_test(test_synthetic),   cmocka_unit_test(test_state_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
