/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vec.h - growing arrays: one way to make room for one more element. */
#ifndef NK_VEC_H
#define NK_VEC_H

#include <stddef.h>

/* Append a zeroed element of size bytes to the array *arr of *n elements with room for *cap,
 * doubling the room when it is full. Returns the new element, or NULL (array unchanged) when
 * memory runs out. */
void *nk_grow(void **arr, size_t *n, size_t *cap, size_t size);

#endif
