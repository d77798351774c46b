/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: random bytes as an argv (NUL-separated words) for the option layer (its ranges and
 * its requires/excludes rules), and each word as a number and as an ADDR[:PORT] for the value
 * parsers every command uses.
 * Usage messages are expected by the thousand: run with -close_fd_mask=3. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "cli/commands.h"
#include "lib/net.h"

enum {
    O_FLAG = 1,
    O_NUM,
    O_ENUM,
    O_STR
};
static const char *const choices[] = {"a", "bb", NULL};
static const struct nk_opt opts[] = {
    NK_OPT_FLAG(O_FLAG, 'f', "flag", "f", .excludes = {O_STR}),
    NK_OPT_INT(O_NUM, 'n', "num", "N", -5, 65535, "n", .requires = O_ENUM),
    NK_OPT_ENUM(O_ENUM, 'e', "enum", "E", choices, "e"),
    NK_OPT_STR(O_STR, 's', "str", "S", "s"),
    NK_OPT_END,
};
static int run(int argc, char **argv, struct nk_ctx *ctx)
{
    (void)argc, (void)argv, (void)ctx;
    return 0;
}
static const struct nk_command cmd = {
    .name = "fuzz", .run = run, .opts = opts, .args = "[X...]", .summary = "f"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = fuzz_cstr(data, size);
    char *argv[66];
    int argc = 0;
    char err[NK_ERRLEN];
    if (!buf)
        return 0;
    argv[argc++] = "fuzz";
    for (char *p = buf; p < buf + size && argc < 65; p += strlen(p) + 1)
        argv[argc++] = p;
    argv[argc] = NULL;

    struct nk_ctx ctx = {0};
    struct nk_opt_parser p;
    int id;
    nk_opt_init(&p, &cmd, &ctx, argc, argv);
    bool flag = false, str = false, num = false, en = false;
    while ((id = nk_opt_next(&p)) > 0) {
        if (id == O_NUM && (p.num < -5 || p.num > 65535))
            abort(); /* a range check let a value through */
        flag |= id == O_FLAG, str |= id == O_STR, num |= id == O_NUM, en |= id == O_ENUM;
    }
    if (id == 0 && ((flag && str) || (num && !en)))
        abort(); /* a declared rule let a command line through */
    for (int i = 1; i < argc; i++) {
        long long v;
        struct net_addr a;
        nk_parse_num(argv[i], 0, 65535, "port", &v, err);
        net_parse_hostport(argv[i], 53, &a, err);
    }
    free(buf);
    return 0;
}
