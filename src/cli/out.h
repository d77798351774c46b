/* SPDX-License-Identifier: GPL-3.0-or-later */
/* out.h - one output layer for text and JSON (iproute2 print_* style).
 *
 * Each call prints its human form (fmt applied to the value) or, in JSON mode, adds the field
 * `key` to the object or array being built. A NULL fmt means "JSON only"; a NULL key means
 * "text only" - except directly inside an array, where a NULL key appends the value.
 * JSON values are built with jansson; when the outermost object or array closes it is written as
 * one line (so a command emitting several top-level objects produces NDJSON).
 */
#ifndef NK_OUT_H
#define NK_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Colours, applied only in text mode with colour on. */
enum out_color {
    OUT_C_NONE,
    OUT_C_NAME,  /* interface or host name */
    OUT_C_MAC,   /* link-layer address */
    OUT_C_INET,  /* IPv4 address */
    OUT_C_INET6, /* IPv6 address */
    OUT_C_GOOD,  /* up, open, NOERROR */
    OUT_C_BAD,   /* down, closed, failures */
    OUT_C_WARN,  /* exposed, unknown */
    OUT_C_DIM,   /* secondary detail */
};

#define OUT_MAX_DEPTH 16

struct json_t;

struct out {
    FILE *fp;                            /* where text and JSON go (stdout) */
    bool json;                           /* JSON mode */
    bool color;                          /* ANSI colour in text mode */
    int depth;                           /* open containers */
    struct json_t *stack[OUT_MAX_DEPTH]; /* the containers being built, outermost first */
    int errors;                          /* JSON building failures (out of memory) */
};

void out_init(struct out *o, FILE *fp, bool json, bool color);

void out_obj_begin(struct out *o, const char *key);
void out_obj_end(struct out *o);
void out_arr_begin(struct out *o, const char *key);
void out_arr_end(struct out *o);

void out_str(struct out *o, enum out_color c, const char *key, const char *fmt, const char *v);
void out_u64(struct out *o, const char *key, const char *fmt, uint64_t v);
void out_i64(struct out *o, const char *key, const char *fmt, int64_t v);
void out_dbl(struct out *o, const char *key, const char *fmt, double v);
void out_bool(struct out *o, const char *key, const char *fmt, bool v);
/* JSON null under key (nothing in text). */
void out_null(struct out *o, const char *key);
/* Text mode only: printf to the output (nothing in JSON mode). */
void out_text(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text mode only, coloured. */
void out_ctext(struct out *o, enum out_color c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Flush; returns 0, or -1 if writing failed (the caller reports it). */
int out_flush(struct out *o);

#endif
