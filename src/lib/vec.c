/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vec.c - growing arrays (see vec.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/vec.h"

void *nk_grow(void **arr, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        if (ncap > SIZE_MAX / size)
            return NULL;
        void *p = realloc(*arr, ncap * size);
        if (!p)
            return NULL;
        *arr = p;
        *cap = ncap;
    }
    void *slot = (char *)*arr + (*n)++ * size;
    memset(slot, 0, size);
    return slot;
}
