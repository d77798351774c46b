/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: random bytes as the shell's settings file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "cli/settings.h"

static void count(unsigned long line, const char *msg, void *arg)
{
    unsigned long *n = arg;
    if (line == 0 || !msg || !*msg)
        abort();
    (*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nk_settings s = {0}, back = {0};
    unsigned long warned = 0;
    char text[1024];
    int bad = nk_settings_parse(&s, (const char *)data, size, count, &warned);
    if (bad < 0 || (unsigned long)bad != warned)
        abort();
    /* Whatever was accepted is written back and read again to the same values, without
     * complaint. */
    if (s.server[0] && strlen(s.server) >= sizeof(s.server))
        abort();
    if (nk_settings_format(&s, text, sizeof(text)) < 0)
        abort();
    if (nk_settings_parse(&back, text, strlen(text), NULL, NULL) != 0 ||
        strcmp(s.server, back.server) != 0 || s.json != back.json ||
        s.color_mode != back.color_mode || s.timeout_ms != back.timeout_ms)
        abort();
    return 0;
}
