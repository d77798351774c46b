/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The option layer: numbers, enums, unknown and missing options, --json/--help handling, and the
 * requires/excludes rules between options. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"

enum {
    O_FLAG = 1,
    O_NUM,
    O_ENUM,
    O_STR,
    O_NEED1,
    O_NEED2,
    O_LONE,
};
static const char *const colours[] = {"red", "green", NULL};
static const struct nk_opt opts[] = {
    NK_OPT_FLAG(O_FLAG, 'f', "flag", "a flag"),
    NK_OPT_INT(O_NUM, 'n', "num", "N", 1, 100, "a number", .what = "count"),
    NK_OPT_ENUM(O_ENUM, 0, "paint", "C", colours, "a colour"),
    NK_OPT_STR(O_STR, 's', "str", "S", "a string"),
    NK_OPT_FLAG(O_NEED1, 0, "need1", "needs --str", .requires = O_STR),
    NK_OPT_FLAG(O_NEED2, 'w', "need2", "needs --str too", .requires = O_STR),
    NK_OPT_FLAG(O_LONE, 'l', "lone", "alone", .excludes = {O_FLAG, O_ENUM}, .why = "lone is alone"),
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

/* What parsing argv wrote on stderr (malloc'd), and its final id and status. */
static char *parse_err(char **argv, int *id, int *status)
{
    int ids[16];
    struct nk_opt_parser p;
    struct nk_ctx ctx = {0};
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fileno(tmp), STDERR_FILENO);
    *id = parse(argv, ids, &p, &ctx);
    *status = p.status;
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    off_t len = lseek(fileno(tmp), 0, SEEK_END);
    char *buf = calloc(1, (size_t)len + 1);
    assert_non_null(buf);
    assert_int_equal(pread(fileno(tmp), buf, (size_t)len, 0), len);
    fclose(tmp);
    return buf;
}

static void rules_between_options(void **state)
{
    static struct {
        char *argv[8];
        const char *msg; /* NULL: accepted */
    } cases[] = {
        {{"test", "--need1", NULL},
         "netkit test: '--need1' requires '--str': --need1 and --need2 need --str\n"
         "Try 'netkit test --help'.\n"},
        {{"test", "-w", "x", NULL}, "netkit test: '-w' requires '--str'"},
        {{"test", "--need1", "-s", "x", NULL}, NULL},
        {{"test", "-s", "x", "-w", "--need1", NULL}, NULL},
        {{"test", "-f", "-l", NULL},
         "netkit test: '-f' and '-l' cannot be combined: lone is alone\n"},
        {{"test", "--lone", "--paint", "red", NULL},
         "netkit test: '--lone' and '--paint' cannot be combined: lone is alone\n"},
        {{"test", "--flag", "--lone", NULL}, "'--flag' and '--lone'"},
        {{"test", "-l", "-s", "x", "-n", "5", NULL}, NULL},
        /* Once is enough: a repeated option is no conflict with itself. */
        {{"test", "-l", "-l", NULL}, NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int id, status;
        char *err = parse_err(cases[i].argv, &id, &status);
        if (cases[i].msg) {
            assert_int_equal(id, -1);
            assert_int_equal(status, NK_USAGE);
            assert_non_null(strstr(err, cases[i].msg));
        } else {
            assert_int_equal(id, 0);
            assert_string_equal(err, "");
        }
        free(err);
    }
}

static void choices_and_colours(void **state)
{
    static const char *const abc[] = {"a", "b", "c", NULL};
    (void)state;
    assert_int_equal(nk_opt_choice(abc, "b"), 1);
    assert_int_equal(nk_opt_choice(abc, "B"), -1);
    assert_int_equal(nk_opt_choice(abc, ""), -1);
    assert_int_equal(nk_opt_choice(abc, NULL), -1);
    assert_int_equal(nk_color_parse("auto"), NK_COLOR_AUTO);
    assert_int_equal(nk_color_parse("always"), NK_COLOR_ALWAYS);
    assert_int_equal(nk_color_parse("never"), NK_COLOR_NEVER);
    assert_int_equal(nk_color_parse("al"), -1);
    assert_false(nk_color_resolve(NK_COLOR_NEVER));
    setenv("NO_COLOR", "1", 1);
    assert_false(nk_color_resolve(NK_COLOR_ALWAYS));
    unsetenv("NO_COLOR");
    assert_true(nk_color_resolve(NK_COLOR_ALWAYS));
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

/* -j is --json where the command leaves the letter free, and the command's own option where
 * it does not; a habit word (`-fl`) is taken as the option it names, before getopt would read
 * it as a cluster (-f -l, which exclude each other). */
static const struct nk_opt jopts[] = {
    NK_OPT_FLAG(O_FLAG, 'j', "jump", "the command's own -j"),
    NK_OPT_END,
};
static const struct nk_habit habits[] = {
    {"-fl", "--flag", NULL},
    {"-x", NULL, "type -f instead"},
    {0},
};
static const struct nk_command cmdj = {
    .name = "testj", .run = dummy, .opts = jopts, .summary = "s"};
static const struct nk_command cmdh = {
    .name = "testh", .run = dummy, .opts = opts, .summary = "s", .habits = habits};

static void j_and_habits(void **state)
{
    (void)state;
    struct nk_opt_parser p;
    struct nk_ctx ctx = {0};
    int ids[8];
    char *a1[] = {"test", "-j", NULL};
    assert_int_equal(parse(a1, ids, &p, &ctx), 0);
    assert_true(ctx.json);
    assert_int_equal(ids[0], -1);

    char *a2[] = {"testj", "-j", NULL};
    ctx.json = false;
    nk_opt_init(&p, &cmdj, &ctx, 2, a2);
    assert_int_equal(nk_opt_next(&p), O_FLAG);
    assert_int_equal(nk_opt_next(&p), 0);
    assert_false(ctx.json);

    char *a3[] = {"testh", "-fl", "x", NULL};
    nk_opt_init(&p, &cmdh, &ctx, 3, a3);
    assert_int_equal(nk_opt_next(&p), O_FLAG);
    assert_int_equal(nk_opt_next(&p), 0);
    assert_int_equal(p.argc, 1);
    assert_string_equal(p.argv[0], "x");

    char *a4[] = {"testh", "--", "-fl", NULL}; /* after --, a word is an argument */
    nk_opt_init(&p, &cmdh, &ctx, 3, a4);
    assert_int_equal(nk_opt_next(&p), 0);
    assert_string_equal(p.argv[0], "-fl");

    char *a6[] = {"testh", "-s", "-fl", NULL}; /* the value of -s, not the habit */
    nk_opt_init(&p, &cmdh, &ctx, 3, a6);
    assert_int_equal(nk_opt_next(&p), O_STR);
    assert_string_equal(p.arg, "-fl");
    assert_int_equal(nk_opt_next(&p), 0);

    char *a5[] = {"testh", "-x", NULL}; /* a hinted flag is still an error */
    nk_opt_init(&p, &cmdh, &ctx, 2, a5);
    assert_int_equal(nk_opt_next(&p), -1);
    assert_int_equal(p.status, NK_USAGE);
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
        cmocka_unit_test(rules_between_options),
        cmocka_unit_test(choices_and_colours),
        cmocka_unit_test(j_and_habits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
