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

/* Split line; the operator flags as a string of '0'/'1', and what follows '|' (or NULL). */
static void check_ops(const char *line, const char *const *want, const char *ops, const char *rest)
{
    struct words w;
    char err[NK_ERRLEN];
    assert_int_equal(words_split(line, &w, err), 0);
    int n = 0;
    while (want[n])
        n++;
    assert_int_equal(w.argc, n);
    for (int i = 0; i < n; i++) {
        assert_string_equal(w.argv[i], want[i]);
        assert_int_equal(w.op[i], ops[i] == '1');
    }
    if (rest) {
        assert_non_null(w.rest);
        assert_string_equal(w.rest, rest);
    } else {
        assert_null(w.rest);
    }
    words_free(&w);
}

static void operators(void **state)
{
    (void)state;
    /* '|' ends the words; the rest is left as typed, for sh. */
    check_ops("ports -t | grep 5432", (const char *[]){"ports", "-t", NULL}, "00", " grep 5432");
    check_ops("ports|grep 'a b'|wc -l", (const char *[]){"ports", NULL}, "0", "grep 'a b'|wc -l");
    check_ops("a |", (const char *[]){"a", NULL}, "0", "");
    /* Redirections are words of their own, with or without blanks around them. */
    check_ops("resolve a.test > out", (const char *[]){"resolve", "a.test", ">", "out", NULL},
              "0010", NULL);
    check_ops("resolve a.test>out", (const char *[]){"resolve", "a.test", ">", "out", NULL}, "0010",
              NULL);
    check_ops("x >>f 2>e 2>&1 >&2 <in",
              (const char *[]){"x", ">>", "f", "2>", "e", "2>&1", ">&2", "<", "in", NULL},
              "010101110", NULL);
    check_ops("x 2> e | less", (const char *[]){"x", "2>", "e", NULL}, "010", " less");
    /* A number is an fd only right before the operator; quoted, nothing is an operator. */
    check_ops("ports 2 >f", (const char *[]){"ports", "2", ">", "f", NULL}, "0010", NULL);
    check_ops("ports 8000-8010", (const char *[]){"ports", "8000-8010", NULL}, "00", NULL);
    check_ops("a '|' \\> \">\" 'x>y'", (const char *[]){"a", "|", ">", ">", "x>y", NULL}, "00000",
              NULL);
    check_ops("a<<b <>c", (const char *[]){"a", "<<", "b", "<>", "c", NULL}, "01010", NULL);
    check_ops("a # > b | c", (const char *[]){"a", NULL}, "0", NULL);
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
    /* Operators need no blanks: a line of n bytes can hold n words. */
    memset(line, '>', 200);
    for (int i = 0; i < 200; i += 2)
        line[i] = 'x';
    assert_int_equal(words_split(line, &w, err), 0);
    assert_int_equal(w.argc, 200);
    words_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain),        cmocka_unit_test(quoting),    cmocka_unit_test(comments),
        cmocka_unit_test(unterminated), cmocka_unit_test(many_words), cmocka_unit_test(operators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
