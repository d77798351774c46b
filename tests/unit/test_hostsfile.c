/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The hosts file read once: c-ares 1.18's rules (comments, blanks, aliases, case, address
 * forms ares_inet_pton takes), file order, a name twice on a line, and the names left to
 * ares_getaddrinfo. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/hostsfile.h"

static const char file[] = "127.0.0.1 localhost\n"
                           "1.2.3.4 dup dup Alias1 # comment alias2\n"
                           "  5.6.7.8x junk\n"
                           "10.1 short4\n"
                           "fe80::1%eth0 scoped\n"
                           "::1/128 pfx\n"
                           "0x7f.1 hexy\n"
                           "2001:db8::1\tDUP\tv6only\r\n"
                           "# 9.9.9.9 commented\n"
                           "9.9.9.9\n"
                           "1.2.3.5 dup";

/* The addresses found for name, "A,B,...", in buf. */
static const char *find(const struct hosts *h, const char *name, char *buf, size_t cap)
{
    const struct hosts_entry *e;
    size_t n = hosts_find(h, name, &e);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, cap - l, "%s%s%s", i ? "," : "", e[i].family == AF_INET6 ? "6:" : "",
                 e[i].addr);
    }
    return buf;
}

static void rules(void **state)
{
    (void)state;
    char b[256];
    struct hosts *h = hosts_parse(file, sizeof(file) - 1);
    assert_non_null(h);
    /* File order, every line; a name twice on one line once; case ignored. */
    assert_string_equal(find(h, "dup", b, sizeof(b)), "1.2.3.4,6:2001:db8::1,1.2.3.5");
    assert_string_equal(find(h, "DuP", b, sizeof(b)), "1.2.3.4,6:2001:db8::1,1.2.3.5");
    assert_string_equal(find(h, "alias1", b, sizeof(b)), "1.2.3.4");
    assert_string_equal(find(h, "v6only", b, sizeof(b)), "6:2001:db8::1");
    /* Comments and bad addresses find nothing; ares_inet_pton's forms do. */
    assert_string_equal(find(h, "alias2", b, sizeof(b)), "");
    assert_string_equal(find(h, "comment", b, sizeof(b)), "");
    assert_string_equal(find(h, "commented", b, sizeof(b)), "");
    assert_string_equal(find(h, "junk", b, sizeof(b)), "");
    assert_string_equal(find(h, "scoped", b, sizeof(b)), "");
    assert_string_equal(find(h, "hexy", b, sizeof(b)), "");
    assert_string_equal(find(h, "short4", b, sizeof(b)), "10.1.0.0");
    assert_string_equal(find(h, "pfx", b, sizeof(b)), "6:::1");
    /* Exact names only: no final dot dropped, no prefix. */
    assert_string_equal(find(h, "dup.", b, sizeof(b)), "");
    assert_string_equal(find(h, "du", b, sizeof(b)), "");
    assert_string_equal(find(h, "9.9.9.9", b, sizeof(b)), "");
    hosts_free(h);
}

static void empty_and_missing(void **state)
{
    (void)state;
    const struct hosts_entry *e;
    struct hosts *h = hosts_parse("", 0);
    assert_non_null(h);
    assert_int_equal(hosts_find(h, "x", &e), 0);
    hosts_free(h);
    h = hosts_load("/nonexistent/hosts");
    assert_non_null(h);
    assert_int_equal(hosts_find(h, "localhost", &e), 0);
    hosts_free(h);
    /* A NUL byte ends its line's words; the lines after it still count. */
    static const char nul[] = "1.1.1.1 a\0b\n2.2.2.2 c\n";
    h = hosts_parse(nul, sizeof(nul) - 1);
    assert_non_null(h);
    assert_int_equal(hosts_find(h, "a", &e), 1);
    assert_int_equal(hosts_find(h, "c", &e), 1);
    assert_int_equal(hosts_find(h, "b", &e), 0);
    hosts_free(h);
}

/* Many names: the lookup is a binary search, each name finds its own line. */
static void many(void **state)
{
    (void)state;
    size_t cap = 1 << 20, len = 0;
    char *text = malloc(cap), b[64], name[32];
    assert_non_null(text);
    for (int i = 0; i < 20000; i++)
        len += (size_t)snprintf(text + len, cap - len, "10.%d.%d.%d h%d a%d\n", i >> 16,
                                (i >> 8) & 255, i & 255, i, i);
    struct hosts *h = hosts_parse(text, len);
    free(text);
    assert_non_null(h);
    for (int i = 0; i < 20000; i += 997) {
        char want[32];
        snprintf(want, sizeof(want), "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
        snprintf(name, sizeof(name), "H%d", i);
        assert_string_equal(find(h, name, b, sizeof(b)), want);
        snprintf(name, sizeof(name), "a%d", i);
        assert_string_equal(find(h, name, b, sizeof(b)), want);
    }
    assert_string_equal(find(h, "h20000", b, sizeof(b)), "");
    hosts_free(h);
}

static void plain_names(void **state)
{
    (void)state;
    assert_true(hosts_plain_name("www.example.org"));
    assert_true(hosts_plain_name("onion.example"));
    assert_true(hosts_plain_name("local.host"));
    assert_false(hosts_plain_name("localhost"));
    assert_false(hosts_plain_name("LocalHost."));
    assert_false(hosts_plain_name("a.localhost"));
    assert_false(hosts_plain_name("x.onion"));
    assert_false(hosts_plain_name("x.ONION."));
    assert_false(hosts_plain_name("1.2.3.4"));
    assert_false(hosts_plain_name("::1"));
    assert_false(hosts_plain_name(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rules),
        cmocka_unit_test(empty_and_missing),
        cmocka_unit_test(many),
        cmocka_unit_test(plain_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
