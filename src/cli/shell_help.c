/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shell_help.c - `help` inside the shell (and batch mode), in the shell's words: its commands
 * without the word netkit, its own words (set, history, help, exit, quit), and no pointer to a
 * `netkit --help` that cannot be typed there. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/msg.h"
#include "cli/shell_int.h"

static void help_all(void)
{
    printf("Each line is a netkit command without the word netkit, e.g. 'resolve example.com'.\n"
           "\nCommands:\n");
    for (const struct nk_command *const *c = nk_commands; *c; c++)
        if (strcmp((*c)->name, "help") != 0 && strcmp((*c)->name, "shell") != 0)
            printf("  %-20s%s\n", (*c)->name, (*c)->summary);
    printf("\nShell commands:\n"
           "  %-20s%s\n  %-20s%s\n  %-20s%s\n  %-20s%s\n",
           "set [NAME [VALUE]]", "show or change a setting: server, json, color, timeout",
           "history [N]", "the lines typed so far, numbered (the last N)", "help [COMMAND]",
           "this text, or a command's help (the same as COMMAND --help)", "exit [N], quit",
           nk_sh.interactive ? "leave the shell (Ctrl-D too)" : "stop the batch");
    printf("\nQuotes group words and # starts a comment. COMMAND | PROGRAM pipes the output\n"
           "through sh -c; > FILE, >> FILE, 2> FILE and 2>&1 redirect it. Tab completes;\n"
           "Ctrl-C stops the running command. See netkit(1).\n");
}

static void help_set(void)
{
    printf("Usage: set [NAME [VALUE]]\n"
           "Without NAME: every setting and where they are kept. With NAME: that setting.\n"
           "With NAME VALUE: change it for the commands that follow.\n\n"
           "  server ADDR[:PORT][,...]  the DNS servers every command asks (as netkit --dns);\n"
           "                            system: the ones in resolv.conf\n"
           "  json on|off               JSON output for every command (as --json)\n"
           "  color auto|always|never   colour (as --color)\n"
           "  timeout MS                every command's timeout in ms (0-600000); 0: each\n"
           "                            command's own default\n\n");
    if (nk_sh.interactive)
        printf("The interactive shell keeps its settings in %s\n"
               "and reads them at start.\n",
               nk_sh.config[0] ? nk_sh.config : "$XDG_CONFIG_HOME/netkit/config");
    else
        printf("In a batch, a setting lasts until the batch ends; no file is read or written.\n");
}

static void help_exit(const char *name)
{
    printf("Usage: %s [N]\n", name);
    if (nk_sh.interactive)
        printf("Leave the shell with exit status N (default 0); Ctrl-D does the same.%s\n",
               strcmp(name, "quit") == 0 ? " 'exit' is the same." : " 'quit' is the same.");
    else
        printf("Stop the batch. Its exit status is N, or without N that of the last line that\n"
               "failed (0 if none did).\n");
}

static void help_history(void)
{
    printf("Usage: history [N]\n"
           "The lines typed at the prompt, numbered, oldest first; with N, the last N.\n"
           "They are kept in %s;\n"
           "echo-connect's terminal session keeps its own, echo-history, next to it.\n",
           nk_sh.history[0] ? nk_sh.history : "$XDG_STATE_HOME/netkit/history");
    if (!nk_sh.interactive)
        printf("A batch keeps no history.\n");
}

int nk_shell_help(int argc, char **argv, bool *handled)
{
    *handled = true;
    const char *topic = argc > 1 ? argv[1] : NULL;
    bool builtin = topic && (strcmp(topic, "set") == 0 || strcmp(topic, "exit") == 0 ||
                             strcmp(topic, "quit") == 0 || strcmp(topic, "history") == 0 ||
                             strcmp(topic, "help") == 0);
    if (argc > 2 && (builtin || argv[2][0] != '-'))
        return nk_usage("help", "'%s': one command at a time", argv[2]);
    if (!topic || strcmp(topic, "--help") == 0 || strcmp(topic, "-h") == 0) {
        help_all();
    } else if (strcmp(topic, "set") == 0) {
        help_set();
    } else if (strcmp(topic, "exit") == 0 || strcmp(topic, "quit") == 0) {
        help_exit(topic);
    } else if (strcmp(topic, "history") == 0) {
        help_history();
    } else if (strcmp(topic, "help") == 0) {
        printf("Usage: help [COMMAND]\n"
               "Without COMMAND: the commands and the shell's own. With one: its help (for a\n"
               "netkit command, the same as COMMAND --help).\n");
    } else {
        *handled = false; /* a netkit command's help: the `help` command's business */
    }
    return NK_OK;
}
