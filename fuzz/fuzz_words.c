/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: random bytes as a command line for the word splitter (operators included). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "cli/words.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = fuzz_cstr(data, size);
    char err[NK_ERRLEN];
    struct words w;
    if (!line)
        return 0;
    if (words_split(line, &w, err) == 0) {
        /* Words never hold more bytes than the line and a NUL after each byte; an operator is
         * made of digits, '<', '>', '&', '|' and '-' only; what follows '|' is inside the line. */
        size_t total = 0, len = strlen(line);
        for (int i = 0; i < w.argc; i++) {
            total += strlen(w.argv[i]) + 1;
            if (w.op[i] && (strspn(w.argv[i], "0123456789<>&|-") != strlen(w.argv[i]) ||
                            !strpbrk(w.argv[i], "<>")))
                abort();
        }
        if (total > 2 * len + 1 || w.argv[w.argc] != NULL)
            abort();
        if (w.rest && (w.rest <= line || w.rest > line + len || w.rest[-1] != '|'))
            abort();
        words_free(&w);
    }
    free(line);
    return 0;
}
