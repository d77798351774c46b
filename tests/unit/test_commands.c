/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command registry: the names it holds (pinned here, so an empty table fails), exact lookup
 * with no prefix matching, help and shell as rows, the usage text and --help made from the
 * table, and the rules between options of the real tables. Linking this program against
 * libnetkit alone proves the library has no unresolved symbol. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/commands.h"

/* Every command, in the order `netkit help` lists them. */
static const char *const names[] = {"resolve",      "ifaces", "ports", "echo-serve",
                                    "echo-connect", "trace",  "help",  "shell"};
#define NNAMES (sizeof(names) / sizeof(names[0]))

/* What fn(arg) writes to stdout (malloc'd); *status gets its return value. */
static char *capture(int (*fn)(void *), void *arg, int *status)
{
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
    *status = fn(arg);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    off_t len = lseek(fileno(tmp), 0, SEEK_END);
    assert_true(len >= 0);
    char *buf = calloc(1, (size_t)len + 1);
    assert_non_null(buf);
    assert_int_equal(pread(fileno(tmp), buf, (size_t)len, 0), len);
    fclose(tmp);
    return buf;
}

/* nk_run on a NULL-terminated argv. */
static int run_argv(void *arg)
{
    char **argv = arg;
    int argc = 0;
    struct nk_ctx ctx = {0};
    while (argv[argc])
        argc++;
    return nk_run(argc, argv, &ctx);
}

static void table_holds_exactly_the_commands(void **state)
{
    size_t n = 0;
    (void)state;
    for (const struct nk_command *const *c = nk_commands; *c; c++, n++) {
        assert_true(n < NNAMES);
        assert_string_equal((*c)->name, names[n]);
        assert_non_null((*c)->run);
        assert_non_null((*c)->summary);
        assert_true(strlen((*c)->summary) > 0);
    }
    assert_int_equal(n, NNAMES);
}

static void find_is_exact(void **state)
{
    (void)state;
    for (size_t i = 0; i < NNAMES; i++) {
        const struct nk_command *c = nk_command_find(names[i]);
        assert_non_null(c);
        assert_string_equal(c->name, names[i]);
        /* No prefix matching (iproute2 deprecated it), no case folding, no extra text. */
        char buf[64];
        snprintf(buf, sizeof(buf), "%.*s", (int)strlen(names[i]) - 1, names[i]);
        assert_null(nk_command_find(buf));
        snprintf(buf, sizeof(buf), "%sx", names[i]);
        assert_null(nk_command_find(buf));
        snprintf(buf, sizeof(buf), "%s", names[i]);
        buf[0] = (char)(buf[0] - 'a' + 'A');
        assert_null(nk_command_find(buf));
    }
    assert_null(nk_command_find(""));
    assert_null(nk_command_find("echo"));
    assert_null(nk_command_find("set")); /* a shell built-in, not a command */
}

static void unknown_command_is_usage(void **state)
{
    char *argv[] = {"frobnicate", NULL};
    int st;
    (void)state;
    char *out = capture(run_argv, argv, &st);
    assert_int_equal(st, NK_USAGE);
    assert_string_equal(out, "");
    free(out);
}

static int usage_to_stdout(void *arg)
{
    (void)arg;
    nk_usage_text(stdout);
    return 0;
}

static void usage_text_lists_every_row(void **state)
{
    int st;
    (void)state;
    char *text = capture(usage_to_stdout, NULL, &st);
    for (const struct nk_command *const *c = nk_commands; *c; c++) {
        char line[256];
        snprintf(line, sizeof(line), "\n  %-14s%s\n", (*c)->name, (*c)->summary);
        assert_non_null(strstr(text, line));
    }
    /* `help` without a command prints the same text. */
    char *argv[] = {"help", NULL};
    char *help = capture(run_argv, argv, &st);
    assert_int_equal(st, NK_OK);
    assert_string_equal(help, text);
    free(help);
    free(text);
}

static void help_row_shows_each_commands_help(void **state)
{
    (void)state;
    for (size_t i = 0; i < NNAMES; i++) {
        char *argv[] = {"help", (char *)names[i], NULL};
        char *own[] = {(char *)names[i], "--help", NULL};
        int st, st2;
        char *a = capture(run_argv, argv, &st);
        char *b = capture(run_argv, own, &st2);
        assert_int_equal(st, NK_OK);
        assert_int_equal(st2, NK_OK);
        assert_string_equal(a, b);
        char head[128], page[128];
        snprintf(head, sizeof(head), "Usage: netkit %s [OPTIONS]", names[i]);
        assert_true(strncmp(a, head, strlen(head)) == 0);
        /* The man page named is one the repository has. */
        bool builtin = !strcmp(names[i], "help") || !strcmp(names[i], "shell");
        snprintf(page, sizeof(page), "See netkit%s%s(1).\n", builtin ? "" : "-",
                 builtin ? "" : names[i]);
        assert_non_null(strstr(a, page));
        assert_non_null(strstr(a, "--json"));
        free(a);
        free(b);
    }
    char *argv[] = {"help", "nosuch", NULL};
    int st;
    char *out = capture(run_argv, argv, &st);
    assert_int_equal(st, NK_USAGE);
    free(out);
}

static void shell_row_takes_no_arguments(void **state)
{
    /* Only the refusals: a `shell` that starts would read this test's stdin. */
    char *argv[] = {"shell", "x", NULL};
    char *bad[] = {"shell", "--bogus", NULL};
    int st;
    (void)state;
    char *out = capture(run_argv, argv, &st);
    assert_int_equal(st, NK_USAGE);
    free(out);
    out = capture(run_argv, bad, &st);
    assert_int_equal(st, NK_USAGE);
    free(out);
}

/* Every table: unique ids, letters and names, ids below the common ones, and rules that name
 * options of the same table. */
static void option_tables_are_consistent(void **state)
{
    (void)state;
    for (const struct nk_command *const *c = nk_commands; *c; c++) {
        const struct nk_opt *tabs[2] = {(*c)->opts, nk_common_opts};
        int n = 0;
        for (int t = 0; t < 2; t++)
            for (const struct nk_opt *o = tabs[t]; o && o->id; o++, n++) {
                assert_non_null(o->longname);
                assert_non_null(o->help);
                for (int u = 0; u < 2; u++)
                    for (const struct nk_opt *q = tabs[u]; q && q->id; q++) {
                        if (q == o)
                            continue;
                        assert_int_not_equal(q->id, o->id);
                        assert_string_not_equal(q->longname, o->longname);
                        assert_false(o->shortname && q->shortname == o->shortname);
                    }
                bool found = o->requires == 0;
                for (const struct nk_opt *q = (*c)->opts; q && q->id; q++)
                found |= q->id == o->requires;
                assert_true(found);
                for (int k = 0; k < NK_OPT_MAX_EXCLUDES && o->excludes[k]; k++) {
                    found = false;
                    for (const struct nk_opt *q = (*c)->opts; q && q->id; q++)
                        found |= q->id == o->excludes[k];
                    assert_true(found);
                }
            }
        assert_true(n <= NK_OPT_MAX);
    }
}

/* Parse argv (NULL-terminated) with a command's own table. Returns the last nk_opt_next
 * value; p is left for the caller to inspect. */
static int parse_with(const char *name, char **argv, struct nk_opt_parser *p, struct nk_ctx *ctx)
{
    int argc = 0, id;
    while (argv[argc])
        argc++;
    nk_opt_init(p, nk_command_find(name), ctx, argc, argv);
    while ((id = nk_opt_next(p)) > 0)
        ;
    return id;
}

/* The rules the four commands used to code by hand, now from their tables. */
static void declared_rules_hold(void **state)
{
    static char *bad[][8] = {
        {"ports", "--ports", "22", NULL},
        {"ports", "--timeout", "5", NULL},
        {"ports", "-c", "5", NULL},
        {"ports", "--scan", "h", "-l", NULL},
        {"ports", "--state", "listen", "--scan", "h", NULL},
        {"ports", "--force", NULL},
        {"ports", "--watch=0", NULL},
        {"ports", "--watch=x", NULL},
        {"ports", "--watch", "--scan", "h", NULL},
        {"ports", "-v", NULL},
        {"ports", "-a", "--scan", "h", NULL},
        {"ports", "--scan", "h", "-p", NULL},
        {"ifaces", "-n", "-H", NULL},
        {"ifaces", "-b", "-n", NULL},
        {"ifaces", "-H", "-s", NULL},
        {"echo-serve", "--unix", "p", "-u", NULL},
        {"echo-serve", "-b", "::1", "--unix", "p", NULL},
        {"echo-connect", "--unix", "p", "-u", NULL},
        {"echo-connect", "--pipeline", "4", NULL},
        {"echo-connect", "--rate", "100", NULL},
        {"echo-connect", "--bench", "--count", "5", "--duration", "1", NULL},
    };
    static char *good[][12] = {
        {"ports", "--scan", "h", "--ports", "22", "-c", "5", NULL},
        {"ports", "-u", "--scan", "h", "--scan", "i", "--force", "-v", NULL},
        {"ports", "-tulpn", "--state", "listen", "--local", "::1", "--peer", "::/0", NULL},
        {"ports", "--watch", "22", NULL},
        {"ports", "--watch=3600", NULL},
        {"ifaces", "-b", "-s", "-4", NULL},
        {"echo-serve", "--unix", "p", "-v", NULL},
        {"echo-connect", "--bench", "--pipeline", "4", "--count", "9", NULL},
        {"echo-connect", "-u", "--bench", "--rate", "100", NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct nk_opt_parser p;
        struct nk_ctx ctx = {0};
        assert_int_equal(parse_with(bad[i][0], bad[i], &p, &ctx), -1);
        assert_int_equal(p.status, NK_USAGE);
    }
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct nk_opt_parser p;
        struct nk_ctx ctx = {0};
        assert_int_equal(parse_with(good[i][0], good[i], &p, &ctx), 0);
    }
}

/* An optional value: given with '=' only; left out, p.arg is NULL. */
static void optional_values(void **state)
{
    (void)state;
    static char *with[] = {"ports", "--watch=7", NULL},
                *without[] = {"ports", "--watch", "7", NULL};
    struct nk_opt_parser p;
    struct nk_ctx ctx = {0};
    nk_opt_init(&p, nk_command_find("ports"), &ctx, 2, with);
    int id;
    while ((id = nk_opt_next(&p)) > 0) {
        assert_non_null(p.arg);
        assert_int_equal(p.num, 7);
    }
    assert_int_equal(id, 0);
    nk_opt_init(&p, nk_command_find("ports"), &ctx, 3, without);
    while ((id = nk_opt_next(&p)) > 0)
        assert_null(p.arg);
    assert_int_equal(id, 0);
    assert_int_equal(p.argc, 1); /* "7" stays a positional argument */
}

static int help_of_echo_connect(void *arg)
{
    (void)arg;
    nk_opt_help(nk_command_find("echo-connect"));
    return 0;
}

static void help_shows_the_rules(void **state)
{
    int st;
    (void)state;
    char *h = capture(help_of_echo_connect, NULL, &st);
    const char *pipeline = strstr(h, "--pipeline K");
    assert_non_null(pipeline);
    const char *next = strchr(strchr(pipeline, '\n') + 1, '\n');
    assert_non_null(strstr(pipeline, "requires --bench"));
    assert_true(strstr(pipeline, "requires --bench") < next);
    const char *udp = strstr(h, "--udp ");
    assert_non_null(udp);
    assert_non_null(strstr(udp, "not with --unix"));
    free(h);
}

/* -4 -6 together ask for both families, in every command that has them. */
static void both_families_mean_both(void **state)
{
    (void)state;
    int commands = 0;
    for (const struct nk_command *const *c = nk_commands; *c; c++) {
        int id4 = 0, id6 = 0;
        for (const struct nk_opt *o = (*c)->opts; o && o->id; o++) {
            if (o->shortname == '4')
                id4 = o->id;
            if (o->shortname == '6')
                id6 = o->id;
        }
        if (!id4 || !id6)
            continue;
        commands++;
        static char *sets[][4] = {{"x", "-4", "-6", NULL},
                                  {"x", "-6", "-4", NULL},
                                  {"x", "-4", NULL},
                                  {"x", "-6", NULL},
                                  {"x", NULL}};
        static const int want[] = {AF_UNSPEC, AF_UNSPEC, AF_INET, AF_INET6, AF_UNSPEC};
        for (int i = 0; i < 5; i++) {
            struct nk_opt_parser p;
            struct nk_ctx ctx = {0};
            assert_int_equal(parse_with((*c)->name, sets[i], &p, &ctx), 0);
            assert_int_equal(nk_opt_family(&p, id4, id6), want[i]);
        }
    }
    assert_int_equal(commands, 5); /* resolve, ifaces, ports, echo-connect, trace */
}

int main(void)
{
    /* Usage errors go to stderr; keep the test output readable. */
    if (!freopen("/dev/null", "w", stderr))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_holds_exactly_the_commands),
        cmocka_unit_test(find_is_exact),
        cmocka_unit_test(unknown_command_is_usage),
        cmocka_unit_test(usage_text_lists_every_row),
        cmocka_unit_test(help_row_shows_each_commands_help),
        cmocka_unit_test(shell_row_takes_no_arguments),
        cmocka_unit_test(option_tables_are_consistent),
        cmocka_unit_test(declared_rules_hold),
        cmocka_unit_test(optional_values),
        cmocka_unit_test(help_shows_the_rules),
        cmocka_unit_test(both_families_mean_both),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
