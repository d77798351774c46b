/* SPDX-License-Identifier: GPL-3.0-or-later */
/* out.c - text or JSON through one set of calls (JSON values encoded by jansson); text columns. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/out.h"
#include "lib/json.h"

#define OUT_MAX_DEPTH 16

/* Kinds of rows one table may hold. */
#define OUT_MAX_KINDS 8

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

static const char *const color_seq[] = {
    [OUT_C_NONE] = "",         [OUT_C_NAME] = "\033[1;36m", [OUT_C_MAC] = "\033[33m",
    [OUT_C_INET] = "\033[35m", [OUT_C_INET6] = "\033[34m",  [OUT_C_GOOD] = "\033[32m",
    [OUT_C_BAD] = "\033[31m",  [OUT_C_WARN] = "\033[1;33m", [OUT_C_DIM] = "\033[2m",
};
static const char color_reset[] = "\033[0m";

struct out *out_new(FILE *fp, bool json, bool color)
{
    struct out *o = calloc(1, sizeof(*o));
    if (!o)
        return NULL;
    o->fp = fp;
    o->json = json;
    o->color = color && !json;
    return o;
}

/* ---- escaping ---- */

/* Length of the valid UTF-8 sequence (at most n bytes) at s; 0 if s[0] starts none: a stray
 * continuation byte, an overlong form, a surrogate, past U+10FFFF, or cut short. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned lo = 0x80, hi = 0xbf; /* the second byte's range */
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        else if (c == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0)
            lo = 0x90; /* overlong */
        else if (c == 0xf4)
            hi = 0x8f; /* past U+10FFFF */
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return len;
}

/* Bytes at s (n left) that go out as they are: 0 if s[0] is escaped. */
static size_t plain_len(const unsigned char *s, size_t n, bool text)
{
    if (s[0] < 0x80)
        return !text || s[0] == '\n' || s[0] == '\t' || (s[0] >= 0x20 && s[0] != 0x7f) ? 1 : 0;
    return utf8_len(s, n);
}

/* True if s[0..n-1] has nothing to escape (the common case, checked fast). */
static bool clean(const char *s, size_t n, bool text)
{
    /* Bytes text escapes (or looks at): control bytes but newline and tab, DEL, non-ASCII. */
    static const bool tspecial[256] = {
        [0 ... 0x08] = true,
        [0x0b ... 0x1f] = true,
        [0x7f ... 0xff] = true,
    };
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++)
        if (text ? tspecial[u[i]] : u[i] >= 0x80)
            return false;
    return true;
}

size_t out_escape(char *dst, size_t cap, const char *s, size_t n, bool text)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t len = 0, put = 0; /* the escaped length; what of it is in dst */
    bool full = cap == 0;
    for (size_t i = 0; i < n;) {
        size_t k = plain_len(u + i, n - i, text);
        char esc[4] = {'\\', 'x', hex[u[i] >> 4], hex[u[i] & 15]};
        size_t m = k ? k : 4;
        if (!full && put + m < cap) {
            memcpy(dst + put, k ? s + i : esc, m);
            put += m;
        } else {
            full = true;
        }
        len += m;
        i += k ? k : 1;
    }
    if (cap > 0)
        dst[put] = '\0';
    return len;
}

/* ---- JSON ----
 *
 * The structure is written as the calls come, into one buffer that goes out when the outermost
 * value closes: `"key":value` and `,` without blanks, as jansson's compact dump gives
 * (tests/unit/test_out.c compares the two byte for byte). Building a jansson tree per record and
 * dumping it cost several times what c-ares spends on a lookup (jansson's dump checks every
 * container for loops through a hash table), and a batch prints one object per name. What needs
 * encoding is jansson's: every string that needs an escape (or holds UTF-8) and every real is
 * dumped by it (json_dumpb, JSON_ENCODE_ANY); a string of plain printable ASCII is copied as it
 * is. A key inside an array is ignored; a value without a key inside an object (or outside any
 * container) is dropped with whatever it holds, as jansson's json_object_set_new would. */

/* Room for len more bytes of JSON. */
static bool jroom(struct out *o, size_t len)
{
    if (o->jlen + len <= o->jcap)
        return true;
    size_t cap = o->jcap ? o->jcap : 1024;
    while (cap < o->jlen + len)
        cap *= 2;
    char *b = realloc(o->jbuf, cap);
    if (!b) {
        o->errors++;
        return false;
    }
    o->jbuf = b;
    o->jcap = cap;
    return true;
}

static void jput(struct out *o, const char *s, size_t len)
{
    if (jroom(o, len)) {
        memcpy(o->jbuf + o->jlen, s, len);
        o->jlen += len;
    }
}

/* Bytes that send a string to jansson: control bytes, '"', '\\', and every byte of a
 * multibyte sequence (to be checked for valid UTF-8). */
static const bool jspecial[256] = {
    [0 ... 0x1f] = true,
    ['"'] = true,
    ['\\'] = true,
    [0x80 ... 0xff] = true,
};

/* Append jansson's compact dump of v (a string or a real; JSON_ENCODE_ANY), made by j, and
 * drop v. */
static void jdump(struct out *o, const struct nk_json *j, json_t *v, size_t flags)
{
    if (!v) {
        o->errors++;
        return;
    }
    flags |= JSON_ENCODE_ANY | JSON_COMPACT;
    char buf[64]; /* a real, a short string: one pass */
    size_t n = j->json_dumpb(v, buf, sizeof(buf), flags);
    if (n == 0) {
        o->errors++;
    } else if (n <= sizeof(buf)) {
        jput(o, buf, n);
    } else if (jroom(o, n)) {
        j->json_dumpb(v, o->jbuf + o->jlen, n, flags);
        o->jlen += n;
    }
    j->json_delete(v); /* the only reference */
}

/* A JSON string of s[0..n-1]. One that needs no escaping (the common case: printable ASCII
 * without '"' or '\\') is copied between its quotes; any other goes to jansson, after bytes that
 * are not valid UTF-8 became \xHH (out_escape), so that no field is ever dropped. */
static void jstr(struct out *o, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = 0;
    while (k < n && !jspecial[u[k]])
        k++;
    if (k == n) {
        if (jroom(o, n + 2)) {
            char *d = o->jbuf + o->jlen;
            *d++ = '"';
            memcpy(d, s, n);
            d[n] = '"';
            o->jlen += n + 2;
        }
        return;
    }
    const struct nk_json *j = nk_json_load();
    size_t len = out_escape(NULL, 0, s, n, false);
    char *e = malloc(len + 1);
    if (!e || !j) {
        free(e);
        o->errors++;
        return;
    }
    out_escape(e, len + 1, s, n, false);
    jdump(o, j, j->json_stringn(e, len), 0);
    free(e);
}

/* Before a value under key: the separator and the key. False if the value is dropped. */
static bool jkey(struct out *o, const char *key)
{
    if (o->depth == 0)
        return false;
    struct jlevel *t = &o->jst[o->depth - 1];
    if (t->dropped || (!t->arr && !key))
        return false;
    /* Room for the separator and a usual key; a longer one, or one to escape, goes the long
     * way (jstr). */
    if (!jroom(o, 72))
        return false;
    char *d = o->jbuf + o->jlen;
    if (t->n++)
        *d++ = ',';
    if (!t->arr) {
        size_t i = 0;
        d[0] = '"';
        for (; i < 64 && key[i] && !jspecial[(unsigned char)key[i]]; i++)
            d[1 + i] = key[i];
        if (key[i]) {
            o->jlen = (size_t)(d - o->jbuf);
            jstr(o, key, strlen(key));
            jput(o, ":", 1);
            return true;
        }
        d += 1 + i;
        *d++ = '"';
        *d++ = ':';
    }
    o->jlen = (size_t)(d - o->jbuf);
    return true;
}

static void begin(struct out *o, const char *key, bool arr)
{
    if (!o || !o->json)
        return;
    if (o->depth >= OUT_MAX_DEPTH) {
        o->errors++;
        return;
    }
    bool keep = o->depth == 0 || jkey(o, key);
    if (o->depth == 0)
        o->jlen = 0;
    o->jst[o->depth++] = (struct jlevel){.arr = arr, .dropped = !keep};
    if (keep)
        jput(o, arr ? "[" : "{", 1);
}

static void end(struct out *o)
{
    if (!o || !o->json || o->depth == 0)
        return;
    const struct jlevel *t = &o->jst[--o->depth];
    if (!t->dropped)
        jput(o, t->arr ? "]" : "}", 1);
    if (o->depth == 0) {
        /* The outermost value is complete: one line of compact JSON. */
        jput(o, "\n", 1);
        fwrite(o->jbuf, 1, o->jlen, o->fp);
        o->jlen = 0;
    }
}

void out_obj_begin(struct out *o, const char *key)
{
    begin(o, key, false);
}

void out_arr_begin(struct out *o, const char *key)
{
    begin(o, key, true);
}

void out_obj_end(struct out *o)
{
    end(o);
}

void out_arr_end(struct out *o)
{
    end(o);
}

/* ---- text ---- */

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
static void tab_put(struct out *o, const char *s, size_t n, size_t vis)
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

/* Hand the held text to the stream. */
static void drain(struct out *o)
{
    if (o->nline)
        fwrite(o->line, 1, o->nline, o->fp);
    o->nline = 0;
}

/* A call of this layer is done: a complete line goes out now (a record shows as soon as it is
 * printed), a partial one waits for the rest. */
static void done(struct out *o)
{
    if (o->nline && o->line[o->nline - 1] == '\n')
        drain(o);
}

/* Text bytes into the table, or into the line, as they are; vis: they take room on the screen. */
static void put_raw(struct out *o, const char *s, size_t n, bool vis)
{
    if (o->tab.on) {
        tab_put(o, s, n, vis ? n : 0);
        return;
    }
    if (o->nline + n > sizeof(o->line)) {
        drain(o);
        if (n > sizeof(o->line)) {
            fwrite(s, 1, n, o->fp);
            return;
        }
    }
    memcpy(o->line + o->nline, s, n);
    o->nline += n;
}

/* Text bytes as put_raw, escaped (out_escape) if vis: printed data never reaches the terminal
 * as control sequences or broken UTF-8. Colour codes (not vis) go as they are. */
static void put(struct out *o, const char *s, size_t n, bool vis)
{
    if (!vis || clean(s, n, true)) {
        put_raw(o, s, n, vis);
        return;
    }
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = 0, m;
        while (i + k < n && (m = plain_len(u + i + k, n - i - k, true)) > 0)
            k += m;
        put_raw(o, s + i, k, true);
        i += k;
        if (i < n) {
            char esc[5];
            out_escape(esc, sizeof(esc), s + i, 1, true);
            put_raw(o, esc, 4, true);
            i++;
        }
    }
}

__attribute__((format(printf, 2, 0))) static void putv(struct out *o, const char *fmt, va_list ap)
{
    char small[512];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    if (n >= 0 && (size_t)n < sizeof(small)) {
        put(o, small, (size_t)n, true);
    } else if (n >= 0) {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, ap2);
            put(o, big, (size_t)n, true);
            free(big);
        } else {
            o->errors++;
        }
    }
    va_end(ap2);
}

__attribute__((format(printf, 3, 0))) static void vtext(struct out *o, enum out_color c,
                                                        const char *fmt, va_list ap)
{
    bool paint = o->color && c != OUT_C_NONE;
    if (paint)
        put(o, color_seq[c], strlen(color_seq[c]), false);
    putv(o, fmt, ap);
    if (paint)
        put(o, color_reset, sizeof(color_reset) - 1, false);
    done(o);
}

static void text(struct out *o, enum out_color c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void text(struct out *o, enum out_color c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vtext(o, c, fmt, ap);
    va_end(ap);
}

/* The fast path for the commonest formats: "PREFIX%sSUFFIX", "PREFIX%lluSUFFIX" (and %lu, %u,
 * %d ...): the pieces are copied as they are, with no printf, and a line goes to the stream in
 * one write. A batch of resolve prints millions of fields; printf per field was a quarter of
 * netkit's own time there. Returns false (nothing written) for any other format. */
static bool fast(struct out *o, enum out_color c, const char *fmt, const char *s, const char *num)
{
    const char *pct = strchr(fmt, '%'), *conv = pct ? pct + 1 : NULL;
    if (!pct)
        return false;
    if (s && *conv != 's')
        return false;
    if (!s) { /* a number: length modifiers, then the conversion */
        while (*conv == 'l' || *conv == 'j' || *conv == 'z')
            conv++;
        if (*conv != 'u' && *conv != 'd' && *conv != 'i')
            return false;
    }
    const char *suf = conv + 1;
    size_t ls = 0;
    for (; suf[ls]; ls++)
        if (suf[ls] == '%')
            return false;
    const char *v = s ? s : num;
    size_t lp = (size_t)(pct - fmt), lv = strlen(v);
    bool paint = o->color && c != OUT_C_NONE;
    if (!paint && !o->tab.on && o->nline + lp + lv + ls <= sizeof(o->line) &&
        clean(fmt, lp, true) && clean(v, lv, true) && clean(suf, ls, true)) {
        /* The usual field: three copies into the line. */
        char *d = o->line + o->nline;
        memcpy(d, fmt, lp);
        memcpy(d + lp, v, lv);
        memcpy(d + lp + lv, suf, ls);
        o->nline += lp + lv + ls;
        done(o);
        return true;
    }
    if (paint)
        put(o, color_seq[c], strlen(color_seq[c]), false);
    put(o, fmt, lp, true);
    put(o, v, lv, true);
    put(o, suf, ls, true);
    if (paint)
        put(o, color_reset, sizeof(color_reset) - 1, false);
    done(o);
    return true;
}

/* Decimal digits of v (with a '-' if neg) at the end of buf[24]; returns where they start. */
static char *digits(uint64_t v, bool neg, char buf[24])
{
    char *q = buf + 23;
    *q = '\0';
    do
        *--q = (char)('0' + v % 10);
    while (v /= 10);
    if (neg)
        *--q = '-';
    return q;
}

/* The text side takes a runtime format: callers pass literals; -Wformat-nonliteral is relaxed
 * here only. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

/* A JSON integer (jansson's json_int_t, so a u64 past INT64_MAX shows as negative). */
static void jint(struct out *o, const char *key, int64_t v)
{
    char buf[24];
    if (!jkey(o, key))
        return;
    const char *d = digits(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0, buf);
    jput(o, d, (size_t)(buf + 23 - d));
}

/* A real that is a whole number of hundredths below 10^8 (times in ms, rounded by the callers)
 * as jansson prints it with JSON_REAL_PRECISION(10), in buf[32]: its length, or 0 for any
 * other real (jansson prints those). For k < 10^10 the double nearest k/100 prints as k/100
 * itself in 10 significant digits; tests/unit/test_out.c compares the two. */
static size_t hundredths(double v, char buf[32])
{
    double a = fabs(v);
    if (!(a < 1e8))
        return 0;
    double k = (double)(uint64_t)(a * 100 + 0.5);
    if (k / 100 != a)
        return 0;
    char tmp[24];
    uint64_t n = (uint64_t)k, frac = n % 100;
    char *d = digits(n / 100, signbit(v), tmp);
    size_t len = (size_t)(tmp + 23 - d);
    memcpy(buf, d, len);
    buf[len++] = '.';
    buf[len++] = (char)('0' + frac / 10);
    if (frac % 10)
        buf[len++] = (char)('0' + frac % 10);
    return len;
}

void out_str(struct out *o, enum out_color c, const char *key, const char *fmt, const char *v)
{
    if (!o)
        return;
    if (o->json) {
        if (!jkey(o, key))
            return;
        if (v)
            jstr(o, v, strlen(v));
        else
            jput(o, "null", 4);
    } else if (fmt && !fast(o, c, fmt, v ? v : "", NULL)) {
        text(o, c, fmt, v ? v : "");
    }
}

void out_u64(struct out *o, const char *key, const char *fmt, uint64_t v)
{
    char buf[24];
    if (!o)
        return;
    if (o->json)
        jint(o, key, (int64_t)v);
    else if (fmt && !fast(o, OUT_C_NONE, fmt, NULL, digits(v, false, buf)))
        text(o, OUT_C_NONE, fmt, v);
}

void out_i64(struct out *o, const char *key, const char *fmt, int64_t v)
{
    char buf[24];
    if (!o)
        return;
    if (o->json)
        jint(o, key, v);
    else if (fmt && !fast(o, OUT_C_NONE, fmt, NULL,
                          digits(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0, buf)))
        text(o, OUT_C_NONE, fmt, v);
}

void out_dbl(struct out *o, const char *key, const char *fmt, double v)
{
    if (!o)
        return;
    if (o->json) {
        if (!isfinite(v)) /* JSON has no NaN or infinity: the field is missing, the output fails */
            o->errors++;
        else if (jkey(o, key)) {
            char buf[32];
            size_t len = hundredths(v, buf);
            const struct nk_json *j;
            if (len)
                jput(o, buf, len);
            else if ((j = nk_json_load()))
                jdump(o, j, j->json_real(v), JSON_REAL_PRECISION(10));
            else
                o->errors++;
        }
    } else if (fmt) {
        text(o, OUT_C_NONE, fmt, v);
    }
}

void out_bool(struct out *o, const char *key, const char *fmt, bool v)
{
    if (!o)
        return;
    if (o->json) {
        if (jkey(o, key))
            jput(o, v ? "true" : "false", v ? 4 : 5);
    } else if (fmt && !fast(o, OUT_C_NONE, fmt, v ? "yes" : "no", NULL)) {
        text(o, OUT_C_NONE, fmt, v ? "yes" : "no");
    }
}

#pragma GCC diagnostic pop

void out_null(struct out *o, const char *key)
{
    if (o && o->json && jkey(o, key))
        jput(o, "null", 4);
}

void out_text(struct out *o, const char *fmt, ...)
{
    if (!o || o->json)
        return;
    va_list ap;
    va_start(ap, fmt);
    vtext(o, OUT_C_NONE, fmt, ap);
    va_end(ap);
}

void out_ctext(struct out *o, enum out_color c, const char *fmt, ...)
{
    if (!o || o->json)
        return;
    va_list ap;
    va_start(ap, fmt);
    vtext(o, c, fmt, ap);
    va_end(ap);
}

/* ---- columns ---- */

void out_table_begin(struct out *o)
{
    if (!o || o->json || o->tab.on)
        return;
    drain(o); /* what came before the table is printed before it */
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

/* ---- the end ---- */

int out_flush(struct out *o)
{
    if (!o)
        return -1;
    drain(o);
    if (fflush(o->fp) != 0 || ferror(o->fp))
        return -1;
    return o->errors ? -1 : 0;
}

int out_close(struct out *o)
{
    if (!o)
        return -1;
    out_table_end(o); /* a table left open is still printed */
    while (o->depth > 0)
        end(o);
    int rc = out_flush(o);
    free(o->jbuf);
    free(o);
    return rc;
}
