/* SPDX-License-Identifier: GPL-3.0-or-later */
/* out_table.c - text columns (see out.h): the rows held back while a table is open, the widths
 * of each kind of row, and the padded rows printed when it ends. */
#include <stdlib.h>
#include <string.h>

#include "cli/out_int.h"

/* Kinds of rows one table may hold. */
#define OUT_MAX_KINDS 8

/* ---- the held text ---- */

/* Room for n more bytes in the table's buffer. */
static bool tab_room(struct out *o, size_t n)
{
    struct table *t = &o->tab;
    if (t->len + n <= t->cap)
        return true;
    size_t cap = t->cap ? t->cap : 4096;
    while (cap < t->len + n)
        cap *= 2;
    char *b = realloc(t->buf, cap);
    if (!b) {
        o->errors++;
        return false;
    }
    t->buf = b;
    t->cap = cap;
    return true;
}

/* A new piece at the end of the buffer. */
static struct piece *tab_piece(struct out *o, const struct out_cols *cols, int cell)
{
    struct table *t = &o->tab;
    if (t->np == t->capp) {
        size_t cap = t->capp ? t->capp * 2 : 64;
        struct piece *p = realloc(t->p, cap * sizeof(*p));
        if (!p) {
            o->errors++;
            return NULL;
        }
        t->p = p;
        t->capp = cap;
    }
    struct piece *p = &t->p[t->np++];
    *p = (struct piece){.cols = cols, .cell = cell, .off = t->len};
    return p;
}

/* Append text to the open cell, or to the text outside rows. */
void out_tab_put(struct out *o, const char *s, size_t n, size_t vis)
{
    struct table *t = &o->tab;
    struct piece *p = t->np ? &t->p[t->np - 1] : NULL;
    if (n == 0)
        return;
    if (!t->cols && (!p || p->cols)) /* outside rows, after a row: a new run */
        p = tab_piece(o, NULL, 0);
    if (!p || !tab_room(o, n))
        return;
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    p->len += n;
    p->vis += vis;
}

/* ---- columns ---- */

void out_table_begin(struct out *o)
{
    if (!o || o->json || o->tab.on)
        return;
    out_drain(o); /* what came before the table is printed before it */
    o->tab.on = true;
}

void out_row_end(struct out *o)
{
    if (!o || !o->tab.on || !o->tab.cols)
        return;
    o->tab.p[o->tab.np - 1].row_end = true;
    o->tab.cols = NULL;
}

void out_row(struct out *o, const struct out_cols *cols)
{
    if (!o || !o->tab.on)
        return;
    out_row_end(o);
    if (tab_piece(o, cols, 0))
        o->tab.cols = cols;
}

void out_cell(struct out *o)
{
    if (!o || !o->tab.on || !o->tab.cols)
        return;
    struct piece *last = &o->tab.p[o->tab.np - 1];
    if (last->cell + 1 < o->tab.cols->n)
        tab_piece(o, o->tab.cols, last->cell + 1);
}

void out_titles(struct out *o, const struct out_cols *cols, int n, enum out_color c)
{
    if (!o || !o->tab.on)
        return;
    out_row(o, cols);
    for (int i = 0; i < n && i < cols->n; i++) {
        if (i)
            out_cell(o);
        if (cols->col[i].title)
            out_ctext(o, c, "%s", cols->col[i].title);
    }
    out_row_end(o);
}

/* Widths of one kind of row. */
struct kind {
    const struct out_cols *cols; /* the kind */
    size_t w[OUT_MAX_COLS];      /* its columns' widths */
};

static void blanks(FILE *fp, size_t n)
{
    for (; n > 0; n--)
        fputc(' ', fp);
}

/* Print one row: pieces p[0..n-1], widths w. */
static void print_row(struct out *o, const struct piece *p, size_t n, const size_t *w)
{
    const struct out_cols *cols = p[0].cols;
    size_t last = 0; /* the last cell with text: nothing after it, not even padding */
    for (size_t i = 0; i < n; i++)
        if (p[i].vis)
            last = i;
    for (size_t i = 0; i <= last; i++) {
        const struct out_col *c = &cols->col[p[i].cell];
        size_t padding = w[p[i].cell] > p[i].vis ? w[p[i].cell] - p[i].vis : 0;
        if (c->right)
            blanks(o->fp, padding);
        fwrite(o->tab.buf + p[i].off, 1, p[i].len, o->fp);
        if (i == last)
            break;
        if (!c->right)
            blanks(o->fp, padding);
        fputs(c->gap ? c->gap : " ", o->fp);
    }
    fputc('\n', o->fp);
}

void out_table_end(struct out *o)
{
    if (!o || !o->tab.on)
        return;
    struct table *t = &o->tab;
    out_row_end(o);
    struct kind kinds[OUT_MAX_KINDS];
    size_t nk = 0;
    /* Widths: the widest cell of each column, over every row of the kind. */
    for (size_t i = 0; i < t->np; i++) {
        const struct piece *p = &t->p[i];
        if (!p->cols)
            continue;
        size_t k = 0;
        while (k < nk && kinds[k].cols != p->cols)
            k++;
        if (k == nk) {
            if (nk == OUT_MAX_KINDS) {
                o->errors++;
                continue;
            }
            kinds[nk].cols = p->cols;
            for (int c = 0; c < OUT_MAX_COLS; c++)
                kinds[nk].w[c] = p->cols->col[c].min > 0 ? (size_t)p->cols->col[c].min : 0;
            nk++;
        }
        if (p->vis > kinds[k].w[p->cell])
            kinds[k].w[p->cell] = p->vis;
    }
    for (size_t i = 0; i < t->np;) {
        const struct piece *p = &t->p[i];
        if (!p->cols) {
            fwrite(t->buf + p->off, 1, p->len, o->fp);
            i++;
            continue;
        }
        size_t n = 1;
        while (!p[n - 1].row_end && i + n < t->np && t->p[i + n].cols == p->cols &&
               t->p[i + n].cell > p[n - 1].cell)
            n++;
        size_t k = 0;
        while (k < nk && kinds[k].cols != p->cols)
            k++;
        if (k < nk)
            print_row(o, p, n, kinds[k].w);
        i += n;
    }
    free(t->buf);
    free(t->p);
    memset(t, 0, sizeof(*t));
}
