/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The option layer: numbers, enums, unknown and missing options, --json/--help handling. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"

enum {
    O_FLAG = 1,
    O_NUM,
    O_ENUM,
    O_STR
};
static const char *const colours[] = {"red", "green", NULL};
static const struct nk_opt opts[] = {
    NK_OPT_FLAG(O_FLAG, 'f', "flag", "a flag"),
    NK_OPT_INT(O_NUM, 'n', "num", "N", 1, 100, "a number", .what = "count"),
    NK_OPT_ENUM(O_ENUM, 0, "paint", "C", colours, "a colour"),
    NK_OPT_STR(O_STR, 's', "str", "S", "a string"),
    NK_OPT_END,
};
static int dummy(int argc, char **argv, struct nk_ctx *ctx)
{
    (void)argc, (void)argv, (void)ctx;
    return 0;
}
static const struct nk_command cmd = {
    .name = "test", .run = dummy, .opts = opts, .args = "[ARG...]", .summary = "s"};

/* Parse argv (a NULL-terminated list); returns the ids seen, -1 terminated, and the status. */
static int parse(char **argv, int *ids, struct nk_opt_parser *p, struct nk_ctx *ctx)
{
    int argc = 0, id, k = 0;
    while (argv[argc])
        argc++;
    nk_opt_init(p, &cmd, ctx, argc, argv);
    while ((id = nk_opt_next(p)) > 0)
        ids[k++] = id;
    ids[k] = -1;
    return id;
}

static void flags_and_positionals(void **state)
{
    char *argv[] = {"test", "-f", "one", "--num=42", "--json", "two", NULL};
    int ids[8];
    struct nk_opt_parser p;
    struct nk_ctx ctx = {0};
    (void)state;
    assert_int_equal(parse(argv, ids, &p, &ctx), 0);
    assert_int_equal(ids[0], O_FLAG);
    assert_int_equal(ids[1], O_NUM);
    assert_int_equal(ids[2], -1);
    assert_true(ctx.json);
    assert_int_equal(p.argc, 2);
    assert_string_equal(p.argv[0], "one");
    assert_string_equal(p.argv[1], "two");
}

static void number_value(void **state)
{
    char *argv[] = {"test", "-n", "7", NULL};
    int ids[8];
    struct nk_opt_parser p;
    struct nk_ctx ctx = {0};
    (void)state;
    assert_int_equal(parse(argv, ids, &p, &ctx), 0);
    assert_int_equal(p.num, 7);
}

static void bad_values(void **state)
{
    static char *cases[][4] = {
        {"test", "-n", "0", NULL},
        {"test", "-n", "101", NULL},
        {"test", "--num", "abc", NULL},
        {"test", "--num", "5x", NULL},
        {"test", "--num", " 5", NULL},
        {"test", "--num", "", NULL},
        {"test", "--paint", "blue", NULL},
        {"test", "--bogus", NULL},
        {"test", "-z", NULL},
        {"test", "--num", NULL},
        {"test", "--flag=1", NULL},
        {"test", "-n", "99999999999999999999", NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int ids[8];
        struct nk_opt_parser p;
        struct nk_ctx ctx = {0};
        assert_int_equal(parse(cases[i], ids, &p, &ctx), -1);
        assert_int_equal(p.status, NK_USAGE);
    }
}

static void enum_index(void **state)
{
    char *argv[] = {"test", "--paint", "green", NULL};
    int ids[8];
    struct nk_opt_parser p;
    struct nk_ctx ctx = {0};
    (void)state;
    assert_int_equal(parse(argv, ids, &p, &ctx), 0);
    assert_int_equal(ids[0], O_ENUM);
    assert_int_equal(p.num, 1);
}

static void help_is_success(void **state)
{
    char *argv[] = {"test", "--help", NULL};
    int ids[8];
    struct nk_opt_parser p;
    struct nk_ctx ctx = {0};
    (void)state;
    assert_int_equal(parse(argv, ids, &p, &ctx), -1);
    assert_int_equal(p.status, NK_OK);
}

static void reparse(void **state)
{
    /* The shell parses many command lines in one process: state must reset. */
    (void)state;
    for (int round = 0; round < 3; round++) {
        char *argv[] = {"test", "-s", "x", "pos", NULL};
        int ids[8];
        struct nk_opt_parser p;
        struct nk_ctx ctx = {0};
        assert_int_equal(parse(argv, ids, &p, &ctx), 0);
        assert_int_equal(ids[0], O_STR);
        assert_string_equal(p.arg, "x");
        assert_int_equal(p.argc, 1);
    }
}

static void parse_num_messages(void **state)
{
    char err[NK_ERRLEN];
    long long v;
    (void)state;
    assert_int_equal(nk_parse_num("70000", 0, 65535, "port", &v, err), -1);
    assert_string_equal(err, "70000: port out of range (0-65535)");
    assert_int_equal(nk_parse_num("+5", 0, 9, "n", &v, err), -1);
    assert_int_equal(nk_parse_num("-", -9, 9, "n", &v, err), -1);
    assert_int_equal(nk_parse_num("-3", -9, 9, "n", &v, err), 0);
    assert_int_equal(v, -3);
    assert_int_equal(nk_parse_num(NULL, 0, 9, "n", &v, err), -1);
}

int main(void)
{
    /* The parser's messages go to stderr; keep the test output readable. */
    if (!freopen("/dev/null", "w", stderr))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flags_and_positionals),
        cmocka_unit_test(number_value),
        cmocka_unit_test(bad_values),
        cmocka_unit_test(enum_index),
        cmocka_unit_test(help_is_success),
        cmocka_unit_test(reparse),
        cmocka_unit_test(parse_num_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
