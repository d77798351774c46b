/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_verdict.c - ICMP error classification and wording (path.h) and the verdict of every case
 * (verdict.h), without a network. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <string.h>

#include "path/path.h"
#include "path/verdict.h"

static void test_icmp_classify(void **state)
{
    (void)state;
    assert_int_equal(path_icmp_classify(AF_INET, ICMP_TIME_EXCEEDED, 0), PATH_ICMP_TTL);
    assert_int_equal(path_icmp_classify(AF_INET, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH),
                     PATH_ICMP_PORT);
    assert_int_equal(path_icmp_classify(AF_INET, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED),
                     PATH_ICMP_FRAG);
    assert_int_equal(path_icmp_classify(AF_INET, ICMP_DEST_UNREACH, ICMP_PKT_FILTERED),
                     PATH_ICMP_UNREACH);
    assert_int_equal(path_icmp_classify(AF_INET, ICMP_ECHOREPLY, 0), PATH_ICMP_OTHER);
    assert_int_equal(path_icmp_classify(AF_INET6, ICMP6_TIME_EXCEEDED, 0), PATH_ICMP_TTL);
    assert_int_equal(path_icmp_classify(AF_INET6, ICMP6_PACKET_TOO_BIG, 0), PATH_ICMP_FRAG);
    assert_int_equal(path_icmp_classify(AF_INET6, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOPORT),
                     PATH_ICMP_PORT);
    assert_int_equal(path_icmp_classify(AF_INET6, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_ADMIN),
                     PATH_ICMP_UNREACH);
    assert_int_equal(path_icmp_classify(AF_INET6, 128, 0), PATH_ICMP_OTHER);
}

static void test_icmp_text(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(path_icmp_text(AF_INET, 3, 13, b, sizeof(b)),
                        "administratively prohibited");
    assert_string_equal(path_icmp_text(AF_INET, 3, 1, b, sizeof(b)), "host unreachable");
    assert_string_equal(path_icmp_text(AF_INET, 3, 3, b, sizeof(b)), "port unreachable");
    assert_string_equal(path_icmp_text(AF_INET, 11, 0, b, sizeof(b)), "time exceeded");
    assert_string_equal(path_icmp_text(AF_INET, 3, 99, b, sizeof(b)), "ICMP type 3 code 99");
    assert_string_equal(path_icmp_text(AF_INET, 3, -1, b, sizeof(b)), "ICMP type 3 code -1");
    assert_string_equal(path_icmp_text(AF_INET6, 1, 1, b, sizeof(b)),
                        "administratively prohibited");
    assert_string_equal(path_icmp_text(AF_INET6, 1, 3, b, sizeof(b)), "address unreachable");
    assert_string_equal(path_icmp_text(AF_INET6, 2, 0, b, sizeof(b)), "packet too big");
    assert_string_equal(path_icmp_text(AF_INET6, 1, 9, b, sizeof(b)), "ICMPv6 type 1 code 9");
    /* A small buffer is cut, never overrun. */
    char small[6];
    path_icmp_text(AF_INET, 200, 200, small, sizeof(small));
    assert_true(strlen(small) < sizeof(small));
}

static void test_conn_names(void **state)
{
    (void)state;
    assert_null(path_conn_name(PATH_C_NONE));
    assert_string_equal(path_conn_name(PATH_C_OPENFILTERED), "open|filtered");
    assert_string_equal(path_conn_name(PATH_C_REFUSED), "refused");
}

/* Decide f and check the verdict and the reason. */
static void expect(const struct verdict_facts *f, enum verdict v, const char *reason)
{
    char b[512];
    assert_int_equal(verdict_decide(f, b, sizeof(b)), v);
    assert_string_equal(b, reason);
}

static void test_verdicts(void **state)
{
    (void)state;
    struct path_result p = {0};
    struct verdict_facts base = {.host = "web.test",
                                 .port = 80,
                                 .timeout_ms = 3000,
                                 .address = "10.3.0.2",
                                 .next_hop = "10.1.0.1",
                                 .path = &p};
    struct verdict_facts f = base;
    f.conn = PATH_C_OPEN;
    expect(&f, V_REACHABLE, "10.3.0.2:80 is open");
    assert_string_equal(verdict_name(V_REACHABLE), "reachable");

    f = base;
    f.name_failed = f.nxdomain = true;
    f.name_error = "no such name (NXDOMAIN)";
    expect(&f, V_NO_NAME, "web.test: no such name (NXDOMAIN)");
    f.nxdomain = false;
    f.name_error = "no answer in time (TIMEOUT)";
    expect(&f, V_DNS_ERROR, "web.test: no answer in time (TIMEOUT)");

    f = base;
    f.no_route = true;
    expect(&f, V_NO_ROUTE, "no route to 10.3.0.2");
    f.route_type = "prohibit";
    expect(&f, V_NO_ROUTE, "no route to 10.3.0.2 (a prohibit route)");

    f = base;
    f.conn = PATH_C_TIMEOUT;
    f.neigh_failed = true;
    expect(&f, V_NO_NEIGHBOR, "the gateway 10.1.0.1 does not answer ARP");
    f.next_hop = NULL;
    f.ipv6 = true;
    f.address = "fd03::2";
    expect(&f, V_NO_NEIGHBOR, "fd03::2 does not answer NDP");
    /* A neighbour that failed does not matter when the connect worked. */
    f.conn = PATH_C_OPEN;
    expect(&f, V_REACHABLE, "[fd03::2]:80 is open");

    f = base;
    f.conn = PATH_C_REFUSED;
    expect(&f, V_REFUSED, "nothing listens on 10.3.0.2:80 (refused)");
    f.conn = PATH_C_UNREACHABLE;
    f.icmp_from = "10.2.0.2";
    f.icmp_text = "administratively prohibited";
    expect(&f, V_UNREACHABLE, "10.2.0.2 rejects it (administratively prohibited)");
    f.icmp_from = NULL;
    f.conn_err = "no route to host";
    expect(&f, V_UNREACHABLE, "10.3.0.2:80 is unreachable (no route to host)");

    f = base;
    f.conn = PATH_C_TIMEOUT;
    p.nhops = 3;
    p.last_answer = 2;
    f.last_hop = "10.2.0.2";
    expect(&f, V_TIMEOUT,
           "no answer in 3.0 s; the path answers up to hop 2 (10.2.0.2), then nothing: the "
           "packets are dropped at or after hop 3");
    p.last_answer = 0;
    expect(&f, V_TIMEOUT, "no answer in 3.0 s; no hop on the path answers");
    f.path = NULL;
    expect(&f, V_TIMEOUT, "no answer in 3.0 s");

    f = base;
    f.udp = true;
    f.conn = PATH_C_CLOSED;
    expect(&f, V_CLOSED, "nothing listens on 10.3.0.2:80/udp (port unreachable)");
    f.conn = PATH_C_OPENFILTERED;
    expect(&f, V_OPEN_FILTERED,
           "no answer from 10.3.0.2:80/udp in 3.0 s: open, or filtered on the way");
    assert_string_equal(verdict_name(V_OPEN_FILTERED), "open|filtered");
}

/* Without a port the path decides. */
static void test_path_only(void **state)
{
    (void)state;
    struct path_result p = {0};
    struct verdict_facts f = {
        .host = "10.3.0.2", .timeout_ms = 1000, .address = "10.3.0.2", .path = &p};
    p.nhops = 3;
    p.reached = true;
    expect(&f, V_REACHABLE, "10.3.0.2 answers at hop 3");
    p.reached = false;
    p.nhops = 2;
    p.last_answer = 2;
    p.hops[1] = (struct path_hop){.ttl = 2,
                                  .answered = true,
                                  .icmp = {.has = true, .family = AF_INET, .type = 3, .code = 13}};
    f.last_hop = "10.2.0.2";
    f.icmp_text = "administratively prohibited";
    expect(&f, V_UNREACHABLE, "10.2.0.2 rejects it (administratively prohibited)");
    p.hops[1].icmp.type = 11;
    expect(&f, V_TIMEOUT,
           "no answer in 1.0 s; the path answers up to hop 2 (10.2.0.2), then nothing: the "
           "packets are dropped at or after hop 3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_icmp_classify), cmocka_unit_test(test_icmp_text),
        cmocka_unit_test(test_conn_names),    cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_path_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
