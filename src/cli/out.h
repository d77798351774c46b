/* SPDX-License-Identifier: GPL-3.0-or-later */
/* out.h - one output layer for text and JSON (iproute2 print_* style).
 *
 * Each call prints its human form (fmt applied to the value) or, in JSON mode, adds the field
 * `key` to the object or array being built. A NULL fmt means "JSON only"; a NULL key means
 * "text only" - except directly inside an array, where a NULL key appends the value.
 * JSON is written as the calls come (the bytes jansson's compact dump would give, its strings and
 * reals encoded by jansson; a unit test compares them) and held until the outermost object or
 * array closes; it then goes out as one line (so a command emitting several top-level objects
 * produces NDJSON).
 *
 * A command describes each record once with these calls; whether it becomes text or JSON is the
 * layer's business, so `struct out` is opaque and nothing outside out*.c looks at the mode.
 *
 * Columns (ss's `struct column`): between out_table_begin and out_table_end the text is held
 * back. Rows are declared with their columns (struct out_cols); out_cell moves to the next cell;
 * when the table ends, each column's width is computed once, over every row of its kind, and the
 * rows are printed padded. A cell is padded, and followed by its gap, only when a later cell of
 * its row has text: lines never end in blanks. One table may hold rows of several kinds (ifaces:
 * the link line, the hardware line, the address lines); text outside rows keeps its place.
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

/* Most columns in one kind of row. */
#define OUT_MAX_COLS 10

/* One column. */
struct out_col {
    const char *title; /* header text (out_titles), or NULL */
    int min;           /* narrowest width: fixed-width fields, or wider than the title */
    bool right;        /* right-aligned (numbers) */
    const char *gap;   /* printed after the cell when the row goes on; NULL: one blank */
};

/* The columns of one kind of row. */
struct out_cols {
    int n;                            /* columns used */
    struct out_col col[OUT_MAX_COLS]; /* them, left to right */
};

struct out;

/* An output to fp: JSON when json, else text (coloured when color). NULL if out of memory; every
 * call below accepts a NULL out and does nothing (out_close then reports the failure). */
struct out *out_new(FILE *fp, bool json, bool color);

/* Close what is open (a caller that returned early still gets valid JSON), flush, free.
 * Returns 0, or -1 if writing or building failed (the caller reports it). */
int out_close(struct out *o);

/* Flush what is complete without closing (a server's readiness lines). 0, or -1 on failure. */
int out_flush(struct out *o);

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

/* Columns: see the top of this file. All of them do nothing in JSON mode. */
void out_table_begin(struct out *o);
/* Start a row of this kind (ending an open one). */
void out_row(struct out *o, const struct out_cols *cols);
/* What follows goes into the row's next cell (past the last column: stays in the last). */
void out_cell(struct out *o);
/* End the row: it is printed with its newline. */
void out_row_end(struct out *o);
/* A header row: the titles of the first n columns, in colour c. */
void out_titles(struct out *o, const struct out_cols *cols, int n, enum out_color c);
/* Compute the widths, print every row and the text between them. */
void out_table_end(struct out *o);

/* Netkit's one escaping rule, for text, JSON and messages: each byte of s[0..n-1] that is not
 * part of valid UTF-8 becomes the four characters \xHH (its hex value); with text, so does each
 * control byte but newline and tab (JSON escapes those its own way). Writes what fits in cap - 1
 * bytes (an escape is never cut) and a NUL to dst; returns the whole escaped length. out_str,
 * out_text and out_ctext apply it to everything they print; nk_err to messages. */
size_t out_escape(char *dst, size_t cap, const char *s, size_t n, bool text);

#endif
