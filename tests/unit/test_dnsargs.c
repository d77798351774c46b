/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_dnsargs.c - dig's word order: @SERVER, -x, names and the type words after them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dns/dnsargs.h"
#include "dns/dnsname.h"

#define MAXQ 16

struct parsed {
    struct dns_query q[MAXQ];
    int nq;
    struct net_addr srv[DNS_MAX_SERVERS];
    int nsrv;
    char err[NK_ERRLEN];
};

/* Words from a space-separated line; a word "-x" makes the next one a reverse value. */
static int parse_line(const char *line, struct parsed *p)
{
    static char buf[512];
    static struct dns_word w[64];
    int n = 0;
    bool rev = false;
    snprintf(buf, sizeof(buf), "%s", line);
    memset(p, 0, sizeof(*p));
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) {
        if (strcmp(t, "-x") == 0) {
            rev = true;
            continue;
        }
        w[n++] = (struct dns_word){t, rev};
        rev = false;
    }
    return dns_args_parse(w, n, p->q, MAXQ, &p->nq, p->srv, DNS_MAX_SERVERS, &p->nsrv, p->err);
}

static void type_words(void **state)
{
    (void)state;
    int t = 0;
    assert_int_equal(dns_type_word("MX", &t), 1);
    assert_int_equal(t, DNS_T_MX);
    assert_int_equal(dns_type_word("mx", &t), 1);
    assert_int_equal(dns_type_word("aAaA", &t), 1);
    assert_int_equal(t, DNS_T_AAAA);
    assert_int_equal(dns_type_word("TYPE65280", &t), 1);
    assert_int_equal(t, 65280);
    assert_int_equal(dns_type_word("type15", &t), 1);
    assert_int_equal(t, 15);
    const char *no[] = {"15",  "0",           "",    "TYPE", "TYPE0", "TYPE70000",
                        "mx.", "example.org", "MXX", "IN",   NULL};
    for (int i = 0; no[i]; i++)
        assert_int_equal(dns_type_word(no[i], &t), 0);
}

static void name_then_type(void **state)
{
    (void)state;
    struct parsed p;
    assert_int_equal(parse_line("example.org MX", &p), 0);
    assert_int_equal(p.nq, 1);
    assert_string_equal(p.q[0].name, "example.org");
    assert_int_equal(p.q[0].ntypes, 1);
    assert_int_equal(p.q[0].types[0], DNS_T_MX);
    assert_false(p.q[0].reverse);
    /* Several type words, and the class IN among them. */
    assert_int_equal(parse_line("example.org in mx IN txt", &p), 0);
    assert_int_equal(p.nq, 1);
    assert_int_equal(p.q[0].ntypes, 2);
    assert_int_equal(p.q[0].types[1], DNS_T_TXT);
}

static void type_word_first_is_a_name(void **state)
{
    (void)state;
    struct parsed p;
    assert_int_equal(parse_line("mx", &p), 0);
    assert_int_equal(p.nq, 1);
    assert_string_equal(p.q[0].name, "mx");
    assert_int_equal(p.q[0].ntypes, 0);
    assert_int_equal(parse_line("MX a.test", &p), 0);
    assert_int_equal(p.nq, 2);
    assert_int_equal(p.q[1].ntypes, 0);
    /* After a server only: still no name before it. */
    assert_int_equal(parse_line("@127.0.0.1 in", &p), 0);
    assert_int_equal(p.nq, 1);
    assert_string_equal(p.q[0].name, "in");
    /* A class word first is a name too. */
    assert_int_equal(parse_line("ch", &p), 0);
    assert_string_equal(p.q[0].name, "ch");
}

static void type_belongs_to_the_name_before(void **state)
{
    (void)state;
    struct parsed p;
    assert_int_equal(parse_line("a.test MX b.test", &p), 0);
    assert_int_equal(p.nq, 2);
    assert_int_equal(p.q[0].ntypes, 1);
    assert_string_equal(p.q[1].name, "b.test");
    assert_int_equal(p.q[1].ntypes, 0);
    /* A bare number is a name. */
    assert_int_equal(parse_line("a.test 53", &p), 0);
    assert_int_equal(p.nq, 2);
    assert_string_equal(p.q[1].name, "53");
    /* A server between a name and its type changes nothing. */
    assert_int_equal(parse_line("a.test @127.0.0.1#5300 aaaa", &p), 0);
    assert_int_equal(p.nq, 1);
    assert_int_equal(p.q[0].types[0], DNS_T_AAAA);
    assert_int_equal(p.nsrv, 1);
}

static void reverse_and_servers(void **state)
{
    (void)state;
    struct parsed p;
    char csv[256];
    assert_int_equal(parse_line("-x 192.0.2.1 www.test -x 2001:db8::1 TXT @::1#54 @127.0.0.1", &p),
                     0);
    assert_int_equal(p.nq, 3);
    assert_true(p.q[0].reverse);
    assert_string_equal(p.q[0].name, "192.0.2.1");
    assert_false(p.q[1].reverse);
    assert_true(p.q[2].reverse);
    assert_int_equal(p.q[2].ntypes, 1);
    assert_int_equal(p.nsrv, 2);
    assert_int_equal(dns_servers_csv(p.srv, p.nsrv, csv, sizeof(csv)), 0);
    assert_string_equal(csv, "[::1]:54,127.0.0.1:53");
    /* A word after -x ADDR that is a type: for the reverse name. */
    assert_int_equal(parse_line("-x 192.0.2.1 MX", &p), 0);
    assert_int_equal(p.nq, 1);
    assert_int_equal(p.q[0].types[0], DNS_T_MX);
}

static void bad_words(void **state)
{
    (void)state;
    struct parsed p;
    static const struct {
        const char *line, *err;
    } bad[] = {
        {"@ a.test", "'@': missing server"},
        {"@999.1.1.1 a.test", "'999.1.1.1': not an IP address"},
        {"@127.0.0.1#0", "127.0.0.1#0: port out of range (1-65535)"},
        {"@host.test", "'host.test': not an IP address"},
        {"-x notanaddr", "-x 'notanaddr': not an IP address"},
        {"-x 1.2.3", "-x '1.2.3': not an IP address"},
        {"-x www.example.test", "-x 'www.example.test': not an IP address"},
        {"version.bind CH TXT", "'CH': only class IN is asked"},
        {"a.test in chaos", "'chaos': only class IN is asked"},
        {"a.test CLASS3", "'CLASS3': only class IN is asked"},
        {"+short a.test", "'+short': dig's +options are not taken (see --help: --short, --tcp, "
                          "--timeout, --tries)"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(parse_line(bad[i].line, &p), -1);
        assert_string_equal(p.err, bad[i].err);
    }
    /* Bounds: names and types per name. */
    char line[512] = "";
    for (int i = 0; i <= MAXQ; i++)
        strcat(line, "n.test ");
    assert_int_equal(parse_line(line, &p), -1);
    assert_non_null(strstr(p.err, "too many names"));
    strcpy(line, "a.test");
    for (int i = 0; i <= DNS_ARGS_TYPES; i++)
        strcat(line, " A");
    assert_int_equal(parse_line(line, &p), -1);
    assert_non_null(strstr(p.err, "too many types"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(type_words),
        cmocka_unit_test(name_then_type),
        cmocka_unit_test(type_word_first_is_a_name),
        cmocka_unit_test(type_belongs_to_the_name_before),
        cmocka_unit_test(reverse_and_servers),
        cmocka_unit_test(bad_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
