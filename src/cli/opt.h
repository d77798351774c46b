/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opt.h - options declared once.
 *
 * Each command declares one table of struct nk_opt. That table drives getopt_long, the --help
 * text, tab completion (shell and bash/zsh/fish via `netkit --complete`) and the man page test.
 * Numbers are range-checked here (OpenBSD strtonum style), so no command parses a number itself.
 *
 *     while ((id = nk_opt_next(&p)) > 0)
 *         switch (id) { case OPT_BRIEF: req.brief = true; break; ... }
 *     if (id < 0) return p.status;       // error printed, or --help printed (status 0)
 *     // p.argc / p.argv: the positional arguments
 */
#ifndef NK_OPT_H
#define NK_OPT_H

#include <stdbool.h>
#include "lib/nk.h"
#include "lib/num.h"

/* What an option takes. */
enum nk_arg {
    NK_ARG_NONE, /* a flag */
    NK_ARG_STR,  /* any string, in p.arg */
    NK_ARG_INT,  /* a decimal integer in [min, max], in p.num (and p.arg) */
    NK_ARG_ENUM, /* one of choices[], its index in p.num (and p.arg) */
};

/* How to complete a word (an option's value or a positional argument). */
enum nk_comp {
    NK_COMP_NONE,    /* nothing to offer */
    NK_COMP_CHOICES, /* the option's choices[] */
    NK_COMP_FILE,    /* file names (the shell's own file completion) */
    NK_COMP_IFACE,   /* interface names */
    NK_COMP_SERVICE, /* service names from /etc/services */
    NK_COMP_HOST,    /* host names from the hosts file */
    NK_COMP_COMMAND, /* netkit command names */
};

/* One option. A table ends with an entry whose id is 0. */
struct nk_opt {
    int id;                     /* returned by nk_opt_next; > 0 and unique in the table */
    char shortname;             /* 'b' for -b, 0 for long only */
    const char *longname;       /* "brief" for --brief */
    enum nk_arg arg;            /* what it takes */
    const char *metavar;        /* "MS", "FILE": shown in --help */
    long long min, max;         /* NK_ARG_INT: the accepted range */
    const char *what;           /* NK_ARG_INT: noun for messages ("timeout" -> "0: timeout out of
                                   range (1-60000)"); NULL uses the long name */
    const char *const *choices; /* NK_ARG_ENUM (and completion): NULL-terminated */
    enum nk_comp comp;          /* how to complete the value */
    const char *help;           /* one line for --help */
};

struct nk_command; /* commands.h */

/* Parser state for one command line. Fill with nk_opt_init; read the outputs after each call. */
struct nk_opt_parser {
    const struct nk_command *cmd; /* whose table */
    struct nk_ctx *ctx;           /* receives --json / --color */
    int argc;                     /* in: whole argv; after the loop: positional count */
    char **argv;                  /* after the loop: the positional arguments */
    const char *arg;              /* output: the current option's argument */
    long long num;                /* output: its number (INT) or choice index (ENUM) */
    int status;   /* when nk_opt_next returns -1: NK_OK (--help shown) or NK_USAGE */
    bool started; /* internal: getopt state was reset */
};

void nk_opt_init(struct nk_opt_parser *p, const struct nk_command *cmd, struct nk_ctx *ctx,
                 int argc, char **argv);

/* Next option's id; 0 when the options are done (p->argc/argv then hold the positionals);
 * -1 when the command must return p->status now (a usage error was printed, or --help). */
int nk_opt_next(struct nk_opt_parser *p);

/* Colour on or off for mode 0 auto, 1 always, 2 never: never with NO_COLOR set, and in auto
 * mode only when stdout is a terminal. */
bool nk_color_resolve(int mode);

/* Print `netkit CMD --help` text to stdout. */
void nk_opt_help(const struct nk_command *cmd);

/* The options every command accepts: --json, --color, --help. */
extern const struct nk_opt nk_common_opts[];

#endif
