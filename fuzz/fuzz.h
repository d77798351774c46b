/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz.h - what the libFuzzer targets share. */
#ifndef NK_FUZZ_H
#define NK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (malloc'd; NULL when out of memory). Text parsers see
 * every byte, embedded NULs included, up to the first NUL. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

#endif
