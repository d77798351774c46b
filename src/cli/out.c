/* SPDX-License-Identifier: GPL-3.0-or-later */
/* out.c - text or JSON through one set of calls: the calls, and the JSON writer they fill (JSON
 * values encoded by jansson). The text side is out_text.c, the columns out_table.c. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/msg.h"
#include "cli/out_int.h"
#include "lib/json.h"

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

/* jansson for a value; NULL, the output failed, after saying once why it cannot be had. */
static const struct nk_json *jlib(struct out *o)
{
    static bool told;
    char err[NK_ERRLEN];
    const struct nk_json *j = nk_json_load(err);
    if (!j) {
        o->errors++;
        if (!told)
            nk_err(NULL, "%s", err);
        told = true;
    }
    return j;
}

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
    const struct nk_json *j = jlib(o);
    if (!j)
        return;
    size_t len = out_escape(NULL, 0, s, n, false);
    char *e = malloc(len + 1);
    if (!e) {
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

/* ---- the calls ---- */

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
    } else if (fmt && !out_fast(o, c, fmt, v ? v : "", NULL)) {
        out_ctext(o, c, fmt, v ? v : "");
    }
}

void out_u64(struct out *o, const char *key, const char *fmt, uint64_t v)
{
    char buf[24];
    if (!o)
        return;
    if (o->json)
        jint(o, key, (int64_t)v);
    else if (fmt && !out_fast(o, OUT_C_NONE, fmt, NULL, digits(v, false, buf)))
        out_ctext(o, OUT_C_NONE, fmt, v);
}

void out_i64(struct out *o, const char *key, const char *fmt, int64_t v)
{
    char buf[24];
    if (!o)
        return;
    if (o->json)
        jint(o, key, v);
    else if (fmt && !out_fast(o, OUT_C_NONE, fmt, NULL,
                              digits(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0, buf)))
        out_ctext(o, OUT_C_NONE, fmt, v);
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
            else if ((j = jlib(o)))
                jdump(o, j, j->json_real(v), JSON_REAL_PRECISION(10));
        }
    } else if (fmt) {
        out_ctext(o, OUT_C_NONE, fmt, v);
    }
}

void out_bool(struct out *o, const char *key, const char *fmt, bool v)
{
    if (!o)
        return;
    if (o->json) {
        if (jkey(o, key))
            jput(o, v ? "true" : "false", v ? 4 : 5);
    } else if (fmt && !out_fast(o, OUT_C_NONE, fmt, v ? "yes" : "no", NULL)) {
        out_ctext(o, OUT_C_NONE, fmt, v ? "yes" : "no");
    }
}

#pragma GCC diagnostic pop

void out_null(struct out *o, const char *key)
{
    if (o && o->json && jkey(o, key))
        jput(o, "null", 4);
}

/* ---- the end ---- */

int out_flush(struct out *o)
{
    if (!o)
        return -1;
    out_drain(o);
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
