/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Word splitting for `netkit < FILE` and the shell. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "cli/words.h"

/* Split line and compare with the expected words (NULL-terminated). */
static void check(const char *line, const char *const *want)
{
    struct words w;
    char err[NK_ERRLEN];
    assert_int_equal(words_split(line, &w, err), 0);
    int n = 0;
    while (want[n])
        n++;
    assert_int_equal(w.argc, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(w.argv[i], want[i]);
    assert_null(w.argv[n]);
    words_free(&w);
}

static void plain(void **state)
{
    (void)state;
    check("", (const char *[]){NULL});
    check("   \t\n", (const char *[]){NULL});
    check("ifaces -b lo", (const char *[]){"ifaces", "-b", "lo", NULL});
    check("  resolve\t  a.test  ", (const char *[]){"resolve", "a.test", NULL});
}

static void quoting(void **state)
{
    (void)state;
    check("a 'b c' \"d e\"", (const char *[]){"a", "b c", "d e", NULL});
    check("x'y'\"z\"", (const char *[]){"xyz", NULL});
    check("'a\\b' \"a\\\"b\" a\\ b", (const char *[]){"a\\b", "a\"b", "a b", NULL});
    check("'' \"\"", (const char *[]){"", "", NULL});
    check("\"a\\nb\"", (const char *[]){"a\\nb", NULL});
}

static void comments(void **state)
{
    (void)state;
    check("# all comment", (const char *[]){NULL});
    check("ports 80 # the web", (const char *[]){"ports", "80", NULL});
    check("a#b", (const char *[]){"a#b", NULL});
    check("'#'", (const char *[]){"#", NULL});
}

static void unterminated(void **state)
{
    struct words w;
    char err[NK_ERRLEN];
    (void)state;
    assert_int_equal(words_split("a 'b", &w, err), -1);
    assert_string_equal(err, "unterminated single quote");
    assert_int_equal(words_split("a \"b", &w, err), -1);
    assert_string_equal(err, "unterminated double quote");
    check("trailing\\", (const char *[]){"trailing\\", NULL});
}

static void many_words(void **state)
{
    /* One-character words: the most words a line can hold. */
    char line[201];
    (void)state;
    for (int i = 0; i < 200; i += 2) {
        line[i] = 'x';
        line[i + 1] = ' ';
    }
    line[200] = '\0';
    struct words w;
    char err[NK_ERRLEN];
    assert_int_equal(words_split(line, &w, err), 0);
    assert_int_equal(w.argc, 100);
    words_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain),        cmocka_unit_test(quoting),    cmocka_unit_test(comments),
        cmocka_unit_test(unterminated), cmocka_unit_test(many_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
