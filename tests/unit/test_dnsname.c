/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_dnsname.c - names, types, server specs and reverse names: the edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dns/dnsname.h"

static void name_check_ok(void **state)
{
    (void)state;
    char err[NK_ERRLEN];
    const char *good[] = {
        "example.test",          "example.test.",  ".",       "_sip._tcp.example.test",   "a",
        "xn--bcher-kva.example", "*.wild.example", "1.2.3.4", "weird\\.dot.example.test", NULL};
    for (int i = 0; good[i]; i++)
        assert_int_equal(dns_name_check(good[i], err), 0);
    char l63[80];
    memset(l63, 'a', 63);
    strcpy(l63 + 63, ".x");
    assert_int_equal(dns_name_check(l63, err), 0);
    /* 253 bytes exactly, with and without the final dot. */
    char n253[260];
    memset(n253, 'a', 253);
    for (int i = 61; i < 253; i += 62)
        n253[i] = '.';
    n253[253] = '\0';
    assert_int_equal(dns_name_check(n253, err), 0);
    strcat(n253, ".");
    assert_int_equal(dns_name_check(n253, err), 0);
}

static void name_check_bad(void **state)
{
    (void)state;
    char err[NK_ERRLEN];
    assert_int_equal(dns_name_check("", err), -1);
    assert_string_equal(err, "'': empty name");
    assert_int_equal(dns_name_check("a..b", err), -1);
    assert_string_equal(err, "'a..b': empty label");
    assert_int_equal(dns_name_check(".a", err), -1);
    assert_int_equal(dns_name_check("a..", err), -1);
    assert_int_equal(dns_name_check("a b", err), -1);
    assert_non_null(strstr(err, "invalid character"));
    /* Issue 14: what no name holds. */
    const char *bad[] = {"@", "%", "a/b", "a\\065b", NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(dns_name_check(bad[i], err), -1);
        assert_non_null(strstr(err, "invalid character"));
    }
    const char *addr[] = {"1::2::3", "[::1]", "[::1", "127.0.0.1:22", NULL};
    for (int i = 0; addr[i]; i++) {
        assert_int_equal(dns_name_check(addr[i], err), -1);
        assert_non_null(strstr(err, "not an IP address"));
    }
    char rev[128];
    assert_int_equal(dns_reverse_name("[::1]", rev, sizeof(rev)), 1);
    assert_int_equal(dns_reverse_name("fe80::1%lo", rev, sizeof(rev)), 1);
    assert_string_equal(rev,
                        "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f.ip6.arpa");
    assert_int_equal(dns_reverse_name("1.2.3.4%lo", rev, sizeof(rev)), 0);
    assert_int_equal(dns_name_check("a\\.b", err), 0); /* an escaped dot, as dig takes it */
    char l64[80];
    memset(l64, 'a', 64);
    strcpy(l64 + 64, ".x");
    assert_int_equal(dns_name_check(l64, err), -1);
    assert_non_null(strstr(err, "label longer than 63 bytes"));
    char n254[260];
    memset(n254, 'a', 254);
    for (int i = 61; i < 254; i += 62)
        n254[i] = '.';
    n254[254] = '\0';
    assert_int_equal(dns_name_check(n254, err), -1);
    assert_non_null(strstr(err, "name longer than 253 bytes"));
    assert_non_null(strstr(err, "...")); /* long names are cut in messages */
}

static void idn(void **state)
{
    (void)state;
    char out[DNS_NAME_BUF], err[NK_ERRLEN];
    assert_int_equal(dns_name_to_ascii("bücher.example", out, err), 0);
    assert_string_equal(out, "xn--bcher-kva.example");
    assert_int_equal(dns_name_to_ascii("www.example.test", out, err), 0);
    assert_string_equal(out, "www.example.test");
    assert_int_equal(dns_name_to_ascii("bücher..example", out, err), -1);
    assert_int_equal(dns_name_to_ascii("\xff\xfe.example", out, err), -1);
}

static void types(void **state)
{
    (void)state;
    int t;
    char err[NK_ERRLEN], buf[DNS_TYPE_BUF];
    assert_int_equal(dns_type_parse("mx", &t, err), 0);
    assert_int_equal(t, 15);
    assert_int_equal(dns_type_parse("AAAA", &t, err), 0);
    assert_int_equal(t, 28);
    assert_int_equal(dns_type_parse("TYPE65280", &t, err), 0);
    assert_int_equal(t, 65280);
    assert_int_equal(dns_type_parse("type1", &t, err), 0);
    assert_int_equal(t, 1);
    assert_int_equal(dns_type_parse("257", &t, err), 0);
    assert_int_equal(t, 257);
    const char *bad[] = {"",       "BOGUS",  "TYPE",   "TYPE0", "TYPE65536",
                         "TYPE-1", "TYPE+1", "TYPE1x", "0",     NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(dns_type_parse(bad[i], &t, err), -1);
        assert_non_null(strstr(err, "unknown record type"));
    }
    assert_string_equal(dns_type_name(257, buf), "CAA");
    assert_string_equal(dns_type_name(65280, buf), "TYPE65280");

    int list[4], n = 0;
    assert_int_equal(dns_type_list_parse("A,mx,TYPE99", list, 4, &n, err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(list[2], 99);
    assert_int_equal(dns_type_list_parse("A", list, 4, &n, err), 0);
    assert_int_equal(dns_type_list_parse("A", list, 4, &n, err), -1); /* fifth: too many */
    n = 0;
    assert_int_equal(dns_type_list_parse("A,,MX", list, 4, &n, err), -1);
    n = 0;
    assert_int_equal(dns_type_list_parse("A,", list, 4, &n, err), -1);
}

static void servers(void **state)
{
    (void)state;
    struct net_addr a[DNS_MAX_SERVERS];
    int n = 0;
    char err[NK_ERRLEN], csv[512];
    assert_int_equal(dns_servers_parse("127.0.0.1", a, DNS_MAX_SERVERS, &n, err), 0);
    assert_int_equal(dns_servers_parse("127.0.0.2:5300,[::1]:53,::1", a, DNS_MAX_SERVERS, &n, err),
                     0);
    assert_int_equal(n, 4);
    assert_int_equal(dns_servers_csv(a, n, csv, sizeof(csv)), 0);
    assert_string_equal(csv, "127.0.0.1:53,127.0.0.2:5300,[::1]:53,[::1]:53");
    assert_int_equal(dns_servers_csv(a, n, csv, 10), -1);
    const char *bad[] = {"",           ",",         "1.2.3",      "127.0.0.1:70000",
                         "[::1",       "[::1]x",    "127.0.0.1,", "host.test",
                         "127.0.0.1:", "1.2.3.4:0", "[::1]:-1",   NULL};
    for (int i = 0; bad[i]; i++) {
        n = 0;
        assert_int_equal(dns_servers_parse(bad[i], a, DNS_MAX_SERVERS, &n, err), -1);
    }
    n = 0;
    assert_int_equal(dns_servers_parse("127.0.0.1:70000", a, DNS_MAX_SERVERS, &n, err), -1);
    assert_string_equal(err, "70000: port out of range (1-65535)");
    n = 0;
    assert_int_equal(dns_servers_parse("1.1.1.1,2.2.2.2,3.3.3.3", a, 2, &n, err), -1);
    assert_non_null(strstr(err, "too many servers"));
}

/* dig's ADDR#PORT, beside ADDR:PORT and [V6]:PORT. */
static void servers_hash_port(void **state)
{
    (void)state;
    struct net_addr a[DNS_MAX_SERVERS];
    int n = 0;
    char err[NK_ERRLEN], csv[512];
    assert_int_equal(
        dns_servers_parse("127.0.0.1#5300,::1#54,[::1]#55,[::1]:56", a, DNS_MAX_SERVERS, &n, err),
        0);
    assert_int_equal(dns_servers_csv(a, n, csv, sizeof(csv)), 0);
    assert_string_equal(csv, "127.0.0.1:5300,[::1]:54,[::1]:55,[::1]:56");
    static const struct {
        const char *in, *err;
    } bad[] = {
        {"127.0.0.1#", "'127.0.0.1#': missing port after '#'"},
        {"#53", "'#53': not an IP address"},
        {"127.0.0.1#0", "127.0.0.1#0: port out of range (1-65535)"},
        {"127.0.0.1#65536", "65536: port out of range (1-65535)"},
        {"127.0.0.1#x", "'x': port is not a number"},
        {"1.2.3.4:53#54", "'1.2.3.4:53#54': not an IP address"},
        {"[::1#53", "'[::1#53': not an IP address"},
        {"[::1]]#53", "'[::1]]#53': not an IP address"},
        {"1.2.3.4##53", "'1.2.3.4##53': not an IP address"},
        {"host.test#53", "'host.test#53': not an IP address"},
        {"[]#53", "'[]#53': not an IP address"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        n = 0;
        assert_int_equal(dns_servers_parse(bad[i].in, a, DNS_MAX_SERVERS, &n, err), -1);
        assert_string_equal(err, bad[i].err);
    }
}

static void reverse(void **state)
{
    (void)state;
    char out[128];
    assert_int_equal(dns_reverse_name("192.0.2.10", out, sizeof(out)), 1);
    assert_string_equal(out, "10.2.0.192.in-addr.arpa");
    assert_int_equal(dns_reverse_name("2001:db8::10", out, sizeof(out)), 1);
    assert_string_equal(out,
                        "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    assert_int_equal(dns_reverse_name("www.example.test", out, sizeof(out)), 0);
    assert_int_equal(dns_reverse_name("1.2.3", out, sizeof(out)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(name_check_ok), cmocka_unit_test(name_check_bad),
        cmocka_unit_test(idn),           cmocka_unit_test(types),
        cmocka_unit_test(servers),       cmocka_unit_test(servers_hash_port),
        cmocka_unit_test(reverse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
