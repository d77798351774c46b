/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Completion, the one source for `netkit --complete` (bash, zsh, fish) and the shell: command
 * names, global options, each command's options and their values, and positionals (commands
 * for help, interfaces, services, files), all from the real tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/complete.h"

/* The candidates of one call. */
struct cands {
    char *v[512]; /* them, in the order given */
    int n;        /* how many */
    int files;    /* nk_complete's answer: 1 when file names are wanted */
};

static void collect(const char *c, void *arg)
{
    struct cands *cs = arg;
    if (cs->n < 512)
        cs->v[cs->n++] = strdup(c);
}

/* Complete a NULL-terminated word list (the last word is the one being completed). */
static void complete(struct cands *cs, char **words)
{
    int n = 0;
    memset(cs, 0, sizeof(*cs));
    while (words[n])
        n++;
    cs->files = nk_complete(n, words, collect, cs);
}

static void release(struct cands *cs)
{
    for (int i = 0; i < cs->n; i++)
        free(cs->v[i]);
    cs->n = 0;
}

static bool has(const struct cands *cs, const char *want)
{
    for (int i = 0; i < cs->n; i++)
        if (strcmp(cs->v[i], want) == 0)
            return true;
    return false;
}

/* Exactly these candidates, in this order. */
static void expect(char **words, const char *const *want)
{
    struct cands cs;
    complete(&cs, words);
    int n = 0;
    while (want[n])
        n++;
    for (int i = 0; i < cs.n && i < n; i++)
        assert_string_equal(cs.v[i], want[i]);
    assert_int_equal(cs.n, n);
    release(&cs);
}

static void command_names(void **state)
{
    (void)state;
    expect((char *[]){"", NULL},
           (const char *const[]){"resolve", "ifaces", "ports", "echo-serve", "echo-connect",
                                 "trace", "help", "shell", NULL});
    expect((char *[]){"he", NULL}, (const char *const[]){"help", NULL});
    expect((char *[]){"echo-", NULL}, (const char *const[]){"echo-serve", "echo-connect", NULL});
    expect((char *[]){"x", NULL}, (const char *const[]){NULL});
    /* After global options, still the command. */
    expect((char *[]){"--json", "--color", "never", "sh", NULL},
           (const char *const[]){"shell", NULL});
}

static void global_options(void **state)
{
    (void)state;
    expect((char *[]){"--j", NULL}, (const char *const[]){"--json", NULL});
    expect((char *[]){"--", NULL},
           (const char *const[]){"--json", "--color=", "--dns", "--help", "--version", NULL});
    expect((char *[]){"--color", "", NULL}, (const char *const[]){"auto", "always", "never", NULL});
    /* --color= before the command: its values, whole (bash strips what precedes the '='). */
    expect((char *[]){"--color=", NULL},
           (const char *const[]){"--color=auto", "--color=always", "--color=never", NULL});
    expect((char *[]){"--color=n", NULL}, (const char *const[]){"--color=never", NULL});
    /* --dns takes an address (nothing to offer); the command word comes after it. */
    expect((char *[]){"--dns", "", NULL}, (const char *const[]){NULL});
    expect((char *[]){"--dns", "127.0.0.1", "if", NULL}, (const char *const[]){"ifaces", NULL});
    expect((char *[]){"--dns=127.0.0.1", "if", NULL}, (const char *const[]){"ifaces", NULL});
}

/* Complete at the shell's prompt. */
static void complete_shell(struct cands *cs, char **words)
{
    int n = 0;
    memset(cs, 0, sizeof(*cs));
    while (words[n])
        n++;
    cs->files = nk_complete_shell(n, words, collect, cs);
}

static void expect_shell(char **words, const char *const *want)
{
    struct cands cs;
    complete_shell(&cs, words);
    int n = 0;
    while (want[n])
        n++;
    for (int i = 0; i < cs.n && i < n; i++)
        assert_string_equal(cs.v[i], want[i]);
    assert_int_equal(cs.n, n);
    release(&cs);
}

static void shell_words(void **state)
{
    struct cands cs;
    (void)state;
    /* The shell's own commands beside netkit's. */
    complete_shell(&cs, (char *[]){"", NULL});
    assert_true(has(&cs, "set") && has(&cs, "exit") && has(&cs, "quit") && has(&cs, "history"));
    assert_true(has(&cs, "resolve") && has(&cs, "help"));
    release(&cs);
    expect_shell((char *[]){"hi", NULL}, (const char *const[]){"history", NULL});
    expect_shell((char *[]){"help", "se", NULL}, (const char *const[]){"set", NULL});
    /* set: the names, then each one's values. */
    expect_shell((char *[]){"set", "", NULL},
                 (const char *const[]){"server", "json", "color", "timeout", NULL});
    expect_shell((char *[]){"set", "color", "", NULL},
                 (const char *const[]){"auto", "always", "never", NULL});
    expect_shell((char *[]){"set", "json", "", NULL}, (const char *const[]){"on", "off", NULL});
    expect_shell((char *[]){"set", "server", "", NULL}, (const char *const[]){"system", NULL});
    expect_shell((char *[]){"set", "timeout", "", NULL}, (const char *const[]){NULL});
    expect_shell((char *[]){"set", "json", "on", "", NULL}, (const char *const[]){NULL});
    expect_shell((char *[]){"exit", "", NULL}, (const char *const[]){NULL});
    /* A netkit command as on the command line, with or without the word netkit. */
    expect_shell((char *[]){"ifaces", "--b", NULL}, (const char *const[]){"--brief", NULL});
    expect_shell((char *[]){"netkit", "ifaces", "--b", NULL},
                 (const char *const[]){"--brief", NULL});
}

static void command_options(void **state)
{
    (void)state;
    /* Every long option of every table, then the common ones. */
    for (const struct nk_command *const *c = nk_commands; *c; c++) {
        struct cands cs;
        complete(&cs, (char *[]){(char *)(*c)->name, "--", NULL});
        int n = 0;
        const struct nk_opt *tabs[2] = {(*c)->opts, nk_common_opts};
        for (int t = 0; t < 2; t++)
            for (const struct nk_opt *o = tabs[t]; o && o->id; o++, n++) {
                char want[64];
                snprintf(want, sizeof(want), "--%s", o->longname);
                assert_true(n < cs.n);
                assert_string_equal(cs.v[n], want);
            }
        assert_int_equal(cs.n, n);
        assert_int_equal(cs.files, 0);
        release(&cs);
    }
    expect((char *[]){"ifaces", "--b", NULL}, (const char *const[]){"--brief", NULL});
    expect((char *[]){"echo-connect", "--co", NULL},
           (const char *const[]){"--connections", "--count", "--connect-rate", "--color", NULL});
    /* An unknown command has nothing to offer. */
    expect((char *[]){"frobnicate", "--", NULL}, (const char *const[]){NULL});
}

static void option_values(void **state)
{
    (void)state;
    /* Choices, after a separate word and after '='. */
    expect((char *[]){"ports", "--color", "al", NULL}, (const char *const[]){"always", NULL});
    expect((char *[]){"ports", "--color=", NULL},
           (const char *const[]){"--color=auto", "--color=always", "--color=never", NULL});
    struct cands cs;
    complete(&cs, (char *[]){"resolve", "-t", "", NULL});
    assert_true(has(&cs, "MX") && has(&cs, "AAAA") && has(&cs, "TXT"));
    release(&cs);
    expect((char *[]){"resolve", "--type", "MX", NULL}, (const char *const[]){"MX", NULL});
    /* A file: the caller's own file completion. */
    complete(&cs, (char *[]){"resolve", "-f", "na", NULL});
    assert_int_equal(cs.files, 1);
    assert_int_equal(cs.n, 0);
    complete(&cs, (char *[]){"echo-serve", "--unix", "", NULL});
    assert_int_equal(cs.files, 1);
    /* A value with nothing to offer (a number), and a flag that takes none. */
    expect((char *[]){"ports", "--timeout", "", NULL}, (const char *const[]){NULL});
    complete(&cs, (char *[]){"ifaces", "-b", "lo", NULL});
    assert_true(has(&cs, "lo")); /* -b takes no value: the word is a positional */
    release(&cs);
}

static void positionals(void **state)
{
    struct cands cs;
    (void)state;
    /* help: the commands. */
    expect((char *[]){"help", "if", NULL}, (const char *const[]){"ifaces", NULL});
    complete(&cs, (char *[]){"help", "", NULL});
    for (const struct nk_command *const *c = nk_commands; *c; c++)
        assert_true(has(&cs, (*c)->name));
    release(&cs);
    /* ifaces: the interfaces this host has. */
    complete(&cs, (char *[]){"ifaces", "", NULL});
    struct if_nameindex *ni = if_nameindex();
    assert_non_null(ni);
    int n = 0;
    for (struct if_nameindex *p = ni; p->if_index; p++, n++)
        assert_true(has(&cs, p->if_name));
    assert_int_equal(cs.n, n);
    if_freenameindex(ni);
    release(&cs);
    /* ports: service names from /etc/services, each once. */
    complete(&cs, (char *[]){"ports", "ss", NULL});
    assert_true(has(&cs, "ssh"));
    for (int i = 0; i < cs.n; i++) {
        assert_true(strncmp(cs.v[i], "ss", 2) == 0);
        for (int k = 0; k < i; k++)
            assert_string_not_equal(cs.v[i], cs.v[k]);
    }
    release(&cs);
    /* echo-serve takes a port: nothing to offer, no files. */
    complete(&cs, (char *[]){"echo-serve", "", NULL});
    assert_int_equal(cs.n, 0);
    assert_int_equal(cs.files, 0);
    /* echo-connect and trace: HOST, then a port: services, not hosts again. */
    complete(&cs, (char *[]){"echo-connect", "localhost", "ech", NULL});
    assert_true(has(&cs, "echo"));
    release(&cs);
    complete(&cs, (char *[]){"echo-connect", "-u", "--timeout", "100", "localhost", "", NULL});
    assert_true(has(&cs, "echo") && has(&cs, "ssh"));
    assert_false(has(&cs, "localhost"));
    release(&cs);
    complete(&cs, (char *[]){"trace", "localhost", "htt", NULL});
    assert_true(has(&cs, "http") && has(&cs, "https"));
    release(&cs);
    /* ports --scan: --ports takes service names, also as the last item of a list. */
    complete(&cs, (char *[]){"ports", "--scan", "h", "--ports", "ss", NULL});
    assert_true(has(&cs, "ssh"));
    release(&cs);
    complete(&cs, (char *[]){"ports", "--scan", "h", "--ports", "22,80,ss", NULL});
    assert_true(has(&cs, "22,80,ssh"));
    for (int i = 0; i < cs.n; i++)
        assert_true(strncmp(cs.v[i], "22,80,ss", 8) == 0);
    release(&cs);
    /* echo-serve -b: this host's addresses. */
    complete(&cs, (char *[]){"echo-serve", "-b", "", NULL});
    assert_true(has(&cs, "127.0.0.1") && has(&cs, "0.0.0.0") && has(&cs, "::"));
    release(&cs);
    complete(&cs, (char *[]){"echo-serve", "--bind", "127.0.", NULL});
    assert_true(has(&cs, "127.0.0.1") && !has(&cs, "::"));
    release(&cs);
    /* Hosts: whatever is offered starts with the word. */
    complete(&cs, (char *[]){"resolve", "local", NULL});
    for (int i = 0; i < cs.n; i++)
        assert_true(strncmp(cs.v[i], "local", 5) == 0);
    release(&cs);
}

/* resolve: a type word after a name (dig's word order), never before one. */
static void type_words_after_a_name(void **state)
{
    (void)state;
    expect((char *[]){"resolve", "example.org", "NAP", NULL}, (const char *const[]){"NAPTR", NULL});
    expect((char *[]){"resolve", "-s", "127.0.0.1", "a.test", "NAP", NULL},
           (const char *const[]){"NAPTR", NULL});
    expect((char *[]){"resolve", "-v", "a.test", "NAP", NULL},
           (const char *const[]){"NAPTR", NULL});
    /* Before any name: a server, an option's value, or nothing is no name. */
    struct cands cs;
    char **before[] = {(char *[]){"resolve", "NAP", NULL},
                       (char *[]){"resolve", "-s", "127.0.0.1", "NAP", NULL},
                       (char *[]){"resolve", "@127.0.0.1", "NAP", NULL},
                       (char *[]){"resolve", "--timeout", "100", "NAP", NULL}};
    for (size_t i = 0; i < sizeof(before) / sizeof(before[0]); i++) {
        complete(&cs, before[i]);
        assert_false(has(&cs, "NAPTR"));
        release(&cs);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(command_names),   cmocka_unit_test(global_options),
        cmocka_unit_test(command_options), cmocka_unit_test(option_values),
        cmocka_unit_test(positionals),     cmocka_unit_test(type_words_after_a_name),
        cmocka_unit_test(shell_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
