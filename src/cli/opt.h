/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opt.h - options declared once.
 *
 * Each command declares one table of struct nk_opt, written with the NK_OPT_* macros (as git's
 * OPT_BOOL / OPT_INTEGER); optional fields follow as designated initializers:
 *
 *     static const struct nk_opt opts[] = {
 *         NK_OPT_FLAG(OPT_ALL, 'a', "all", "every socket"),
 *         NK_OPT_INT(OPT_TIMEOUT, 0, "timeout", "MS", 1, 600000, "per-port timeout",
 *                    .requires = OPT_SCAN),
 *         NK_OPT_STR(OPT_SCAN, 0, "scan", "HOST", "TCP connect scan", .comp = NK_COMP_HOST,
 *                    .excludes = {OPT_UDP}, .why = "--scan is a TCP connect scan"),
 *         NK_OPT_END,
 *     };
 *
 * That table drives getopt_long, the --help text, tab completion (shell and bash/zsh/fish via
 * `netkit --complete`), the man page test, and the checks between options: `requires` and
 * `excludes` are enforced here, so no command codes a conflict by hand and the message, the
 * --help line and the man page say the same. Numbers are range-checked here (OpenBSD strtonum
 * style), so no command parses a number itself.
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
    NK_COMP_LOCAL,   /* this host's addresses (from its interfaces), for binding */
};

/* Most options one option may exclude. */
#define NK_OPT_MAX_EXCLUDES 4

/* One option. A table ends with NK_OPT_END (id 0). */
struct nk_opt {
    int id;                     /* returned by nk_opt_next; > 0 and unique in the table */
    char shortname;             /* 'b' for -b, 0 for long only */
    const char *longname;       /* "brief" for --brief */
    enum nk_arg arg;            /* what it takes */
    const char *metavar;        /* "MS", "FILE": shown in --help */
    long long min, max;         /* NK_ARG_INT: the accepted range */
    const char *what;           /* noun for messages ("thread count" -> "0: thread count out of
                                   range (1-1024)"); NULL uses the long name */
    const char *const *choices; /* NK_ARG_ENUM (and completion): NULL-terminated */
    enum nk_comp comp;          /* how to complete the value */
    const char *help;           /* one line for --help */
    int requires;               /* id of an option this one needs, 0 for none */
    int excludes[NK_OPT_MAX_EXCLUDES]; /* ids of options never given with this one (0 ends) */
    const char *why; /* why it excludes them, for the message; NULL: "choose one" */
    bool optional;   /* the value may be left out: --watch or --watch=2 (never a separate
                        word); when it is, p.arg is NULL and p.num 0 */
};

/* The declarations. ID, SHORT ('x' or 0), LONG ("name"), then what the kind needs, then the
 * help line; optional fields (.what, .comp, .choices, .requires, .excludes, .why) after it. */
/* clang-format off */
#define NK_OPT_FLAG(ID, SHORT, LONG, HELP, ...)                                                    \
    {.id = (ID), .shortname = (SHORT), .longname = (LONG), .arg = NK_ARG_NONE, .help = (HELP),     \
     __VA_ARGS__}
#define NK_OPT_STR(ID, SHORT, LONG, METAVAR, HELP, ...)                                            \
    {.id = (ID), .shortname = (SHORT), .longname = (LONG), .arg = NK_ARG_STR,                      \
     .metavar = (METAVAR), .help = (HELP), __VA_ARGS__}
#define NK_OPT_INT(ID, SHORT, LONG, METAVAR, MIN, MAX, HELP, ...)                                  \
    {.id = (ID), .shortname = (SHORT), .longname = (LONG), .arg = NK_ARG_INT,                      \
     .metavar = (METAVAR), .min = (MIN), .max = (MAX), .help = (HELP), __VA_ARGS__}
#define NK_OPT_ENUM(ID, SHORT, LONG, METAVAR, CHOICES, HELP, ...)                                  \
    {.id = (ID), .shortname = (SHORT), .longname = (LONG), .arg = NK_ARG_ENUM,                     \
     .metavar = (METAVAR), .choices = (CHOICES), .comp = NK_COMP_CHOICES, .help = (HELP),          \
     __VA_ARGS__}
#define NK_OPT_END {0}
/* clang-format on */

struct nk_command; /* commands.h */

/* A spelling people bring from another tool (ss, ip, nmap, traceroute). With `as`, the word is
 * accepted as that option (`-br` as `--brief`, ip's spelling). With `hint`, a usage error that
 * involves the word (unknown, or in a rule between options) ends with the hint, which says what
 * to type in netkit instead. A command's list ends with {0}. */
struct nk_habit {
    const char *word; /* "-br", or "-p" (a letter also matches inside a cluster such as -tulpn) */
    const char *as;   /* "--brief": the word means this option, or NULL */
    const char *hint; /* "for nmap's -p PORTS, type --ports PORTS", or NULL */
};

/* Most options a command may declare (plus the common ones). */
#define NK_OPT_MAX 48

/* Parser state for one command line. Fill with nk_opt_init; read the outputs after each call. */
struct nk_opt_parser {
    const struct nk_command *cmd; /* whose table */
    struct nk_ctx *ctx;           /* receives --json / --color */
    int argc;                     /* in: whole argv; after the loop: positional count */
    char **argv;                  /* after the loop: the positional arguments */
    const char *arg;              /* output: the current option's argument */
    long long num;                /* output: its number (INT) or choice index (ENUM) */
    int status;                  /* when nk_opt_next returns -1: NK_OK (--help shown) or NK_USAGE */
    bool started;                /* internal: getopt state was reset */
    unsigned long long seen;     /* internal: bit i set when table entry i was given */
    unsigned long long by_short; /* internal: bit i set when it was given by its letter */
};

void nk_opt_init(struct nk_opt_parser *p, const struct nk_command *cmd, struct nk_ctx *ctx,
                 int argc, char **argv);

/* Next option's id; 0 when the options are done (p->argc/argv then hold the positionals);
 * -1 when the command must return p->status now (a usage error was printed, or --help).
 * Before returning 0 it checks every `requires`; an `excludes` is checked as the second option
 * of the pair is met. */
int nk_opt_next(struct nk_opt_parser *p);

/* True if the option with this id was given. */
bool nk_opt_seen(const struct nk_opt_parser *p, int id);

/* The address family asked for by the options id4 (-4) and id6 (-6): AF_INET or AF_INET6 when
 * one was given, AF_UNSPEC for neither or both ("-4 -6" means both, for every command). */
int nk_opt_family(const struct nk_opt_parser *p, int id4, int id6);

/* Index of word in the NULL-terminated choices, or -1. The one place a word is matched against
 * a list of choices (enum options, --color, the shell's `set color`). */
int nk_opt_choice(const char *const *choices, const char *word);

/* Colour modes, in the order of nk_color_names. */
enum nk_color_mode {
    NK_COLOR_AUTO,   /* on a terminal */
    NK_COLOR_ALWAYS, /* even when piped */
    NK_COLOR_NEVER,  /* not at all */
};

/* "auto", "always", "never", NULL. */
extern const char *const nk_color_names[];

/* The mode a word names, or -1. */
int nk_color_parse(const char *word);

/* Colour on or off for a mode: never with NO_COLOR set, and in auto mode only when stdout is a
 * terminal. */
bool nk_color_resolve(int mode);

/* Print `netkit CMD --help` text to stdout. */
void nk_opt_help(const struct nk_command *cmd);

/* The options every command accepts: --json, --color, --help. */
extern const struct nk_opt nk_common_opts[];

#endif
