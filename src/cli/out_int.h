/* SPDX-License-Identifier: GPL-3.0-or-later */
/* out_int.h - inside the output layer: struct out and what out.c (the calls and the JSON writer),
 * out_text.c (escaping, colours, the line) and out_table.c (columns) share. Not for use outside
 * src/cli/out*.c: everything else sees cli/out.h, where struct out is opaque. */
#ifndef NK_OUT_INT_H
#define NK_OUT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/out.h"

/* Most JSON containers open at once. */
#define OUT_MAX_DEPTH 16

/* A run of text held back by an open table: one cell of a row, or text outside rows. */
struct piece {
    const struct out_cols *cols; /* the row's columns; NULL for text outside rows */
    int cell;                    /* column of this cell */
    bool row_end;                /* the last cell of its row: the newline follows */
    size_t off, len;             /* its bytes in table.buf */
    size_t vis;                  /* its printed width: colour codes not counted */
};

/* The open table. */
struct table {
    bool on;                     /* out_table_begin was called */
    char *buf;                   /* every held-back byte */
    size_t len, cap;             /* used and allocated bytes of buf */
    struct piece *p;             /* the pieces, in order */
    size_t np, capp;             /* used and allocated pieces */
    const struct out_cols *cols; /* the open row's columns; NULL outside a row */
};

/* An open JSON container. */
struct jlevel {
    bool arr;     /* an array, not an object */
    bool dropped; /* it had no key inside an object: nothing in it is written */
    unsigned n;   /* values in it so far */
};

/* An output (cli/out.h): its mode, the JSON being built, the text held back. */
struct out {
    FILE *fp;                         /* where text and JSON go (stdout) */
    bool json;                        /* JSON mode */
    bool color;                       /* ANSI colour in text mode */
    int depth;                        /* open containers */
    struct jlevel jst[OUT_MAX_DEPTH]; /* them, outermost first */
    char *jbuf;                       /* the JSON of the open outermost value */
    size_t jlen, jcap;                /* its bytes used and allocated */
    int errors;                       /* JSON or table building failures (out of memory) */
    struct table tab;                 /* columns being collected */
    char line[4096];                  /* text not yet handed to fp: a line goes out in one write */
    size_t nline;                     /* bytes in line */
};

/* out_text.c */

/* Hand the held line to the stream. */
void out_drain(struct out *o);
/* Print fmt with s (or the digits num) without printf; false (nothing written) if fmt is not
 * one of the usual forms. */
bool out_fast(struct out *o, enum out_color c, const char *fmt, const char *s, const char *num);

/* out_table.c */

/* Append text to the open table's cell, or to its text outside rows; vis: its printed width. */
void out_tab_put(struct out *o, const char *s, size_t n, size_t vis);

#endif
