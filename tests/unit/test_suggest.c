/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "did you mean": the scores of the suggester (prefix, missing, extra, wrong and swapped
 * letters, the floor and the length guard), ties, the cap on suggestions, and the wording. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "cli/suggest.h"

static const char *const cmds[] = {"resolve",      "ifaces", "ports", "echo-serve",
                                   "echo-connect", "trace",  "help",  "shell"};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void scores(void **state)
{
    (void)state;
    assert_int_equal(nk_suggest_score("resolv", "resolve"), 0);         /* a prefix */
    assert_int_equal(nk_suggest_score("breif", "brief"), 2);            /* a swapped pair */
    assert_int_equal(nk_suggest_score("pots", "ports"), 2);             /* a missing letter */
    assert_int_equal(nk_suggest_score("echo-server", "echo-serve"), 4); /* an extra one */
    assert_int_equal(nk_suggest_score("trase", "trace"), 3);            /* a wrong one */
    assert_int_equal(nk_suggest_score("resolve", "resolve"), -1);       /* the name itself */
    assert_int_equal(nk_suggest_score("", "resolve"), -1);              /* nothing typed */
    assert_int_equal(nk_suggest_score("x", "help"), -1);                /* too short to tell */
    assert_int_equal(nk_suggest_score("zzzzzzzz", "ports"), -1);        /* past the floor */
    /* Extra letters cost more than missing ones: a longer word is further. */
    assert_true(nk_suggest_score("portss", "ports") > nk_suggest_score("prts", "ports"));
}

static void long_words(void **state)
{
    (void)state;
    char w[200];
    memset(w, 'a', sizeof(w) - 1);
    w[sizeof(w) - 1] = '\0';
    assert_int_equal(nk_suggest_score(w, "aaaa"), -1); /* longer than the table: none */
    assert_int_equal(nk_suggest_score("aaaa", w), -1);
}

static void best_ties_in_order(void **state)
{
    (void)state;
    const char *out[NK_SUGGEST_MAX];
    assert_int_equal(nk_suggest("iface", cmds, NCMDS, out), 1);
    assert_string_equal(out[0], "ifaces");
    assert_int_equal(nk_suggest("echo", cmds, NCMDS, out), 2);
    assert_string_equal(out[0], "echo-serve");
    assert_string_equal(out[1], "echo-connect");
    /* A prefix beats a closer edit. */
    static const char *const opts[] = {"tcp", "timeout", "tries", "type"};
    assert_int_equal(nk_suggest("ti", opts, 4, out), 1);
    assert_string_equal(out[0], "timeout");
    assert_int_equal(nk_suggest("nothing-like-it", cmds, NCMDS, out), 0);
}

static void capped_and_duplicates(void **state)
{
    (void)state;
    static const char *const many[] = {"aa", "ab", "ac", "ad", "ab", NULL, "ae"};
    const char *out[NK_SUGGEST_MAX];
    assert_int_equal(nk_suggest("a", many, 7, out), NK_SUGGEST_MAX);
    assert_string_equal(out[0], "aa");
    assert_string_equal(out[1], "ab");
    assert_string_equal(out[2], "ac");
    static const char *const dup[] = {"json", "json"};
    assert_int_equal(nk_suggest("jsno", dup, 2, out), 1);
}

static void wording(void **state)
{
    (void)state;
    char buf[128];
    assert_string_equal(nk_suggest_text(buf, sizeof(buf), "resolv", NULL, cmds, NCMDS),
                        "; did you mean 'resolve'?");
    assert_string_equal(nk_suggest_text(buf, sizeof(buf), "e", NULL, cmds, NCMDS),
                        "; did you mean 'echo-serve' or 'echo-connect'?");
    static const char *const three[] = {"tcp", "timeout", "tries"};
    assert_string_equal(nk_suggest_text(buf, sizeof(buf), "t", "--", three, 3),
                        "; did you mean '--tcp', '--timeout' or '--tries'?");
    assert_string_equal(nk_suggest_text(buf, sizeof(buf), "x", NULL, cmds, NCMDS), "");
    char tiny[8];
    nk_suggest_text(tiny, sizeof(tiny), "resolv", NULL, cmds, NCMDS); /* cut, never overrun */
    assert_true(strlen(tiny) < sizeof(tiny));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scores),
        cmocka_unit_test(long_words),
        cmocka_unit_test(best_ties_in_order),
        cmocka_unit_test(capped_and_duplicates),
        cmocka_unit_test(wording),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
