/* SPDX-License-Identifier: GPL-3.0-or-later */
/* out.c - text or JSON through one set of calls; JSON built with jansson. */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <string.h>

#include "cli/out.h"

static const char *const color_seq[] = {
    [OUT_C_NONE] = "",         [OUT_C_NAME] = "\033[1;36m", [OUT_C_MAC] = "\033[33m",
    [OUT_C_INET] = "\033[35m", [OUT_C_INET6] = "\033[34m",  [OUT_C_GOOD] = "\033[32m",
    [OUT_C_BAD] = "\033[31m",  [OUT_C_WARN] = "\033[1;33m", [OUT_C_DIM] = "\033[2m",
};

void out_init(struct out *o, FILE *fp, bool json, bool color)
{
    memset(o, 0, sizeof(*o));
    o->fp = fp;
    o->json = json;
    o->color = color && !json;
}

static json_t *top(struct out *o)
{
    return o->depth > 0 ? o->stack[o->depth - 1] : NULL;
}

/* Attach v under key to the open container; steals the reference. Returns false if it was
 * dropped (text-only call outside an array, or no container). */
static bool attach(struct out *o, const char *key, json_t *v)
{
    json_t *t = top(o);
    if (!v) {
        o->errors++;
        return false;
    }
    if (t && json_is_array(t)) {
        json_array_append_new(t, v);
        return true;
    }
    if (t && key) {
        json_object_set_new(t, key, v);
        return true;
    }
    json_decref(v);
    return false;
}

static void begin(struct out *o, const char *key, json_t *c)
{
    if (!o->json)
        return;
    if (!c || o->depth >= OUT_MAX_DEPTH) {
        o->errors++;
        json_decref(c);
        return;
    }
    if (o->depth > 0) {
        json_incref(c);
        if (!attach(o, key, c))
            json_decref(c);
    }
    o->stack[o->depth++] = c;
}

static void end(struct out *o)
{
    if (!o->json || o->depth == 0)
        return;
    json_t *c = o->stack[--o->depth];
    if (o->depth == 0) {
        /* The outermost value is complete: one line of compact JSON. */
        json_dumpf(c, o->fp, JSON_COMPACT | JSON_REAL_PRECISION(10));
        fputc('\n', o->fp);
    }
    json_decref(c);
}

void out_obj_begin(struct out *o, const char *key)
{
    begin(o, key, o->json ? json_object() : NULL);
}

void out_arr_begin(struct out *o, const char *key)
{
    begin(o, key, o->json ? json_array() : NULL);
}

void out_obj_end(struct out *o)
{
    end(o);
}

void out_arr_end(struct out *o)
{
    end(o);
}

__attribute__((format(printf, 3, 0))) static void vtext(struct out *o, enum out_color c,
                                                        const char *fmt, va_list ap)
{
    if (o->color && c != OUT_C_NONE) {
        fputs(color_seq[c], o->fp);
        vfprintf(o->fp, fmt, ap);
        fputs("\033[0m", o->fp);
    } else {
        vfprintf(o->fp, fmt, ap);
    }
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

/* The text side takes a runtime format: callers pass literals; -Wformat-nonliteral is relaxed
 * here only. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

void out_str(struct out *o, enum out_color c, const char *key, const char *fmt, const char *v)
{
    if (o->json)
        attach(o, key, v ? json_string(v) : json_null());
    else if (fmt)
        text(o, c, fmt, v ? v : "");
}

void out_u64(struct out *o, const char *key, const char *fmt, uint64_t v)
{
    if (o->json)
        attach(o, key, json_integer((json_int_t)v));
    else if (fmt)
        text(o, OUT_C_NONE, fmt, v);
}

void out_i64(struct out *o, const char *key, const char *fmt, int64_t v)
{
    if (o->json)
        attach(o, key, json_integer((json_int_t)v));
    else if (fmt)
        text(o, OUT_C_NONE, fmt, v);
}

void out_dbl(struct out *o, const char *key, const char *fmt, double v)
{
    if (o->json)
        attach(o, key, json_real(v));
    else if (fmt)
        text(o, OUT_C_NONE, fmt, v);
}

void out_bool(struct out *o, const char *key, const char *fmt, bool v)
{
    if (o->json)
        attach(o, key, json_boolean(v));
    else if (fmt)
        text(o, OUT_C_NONE, fmt, v ? "yes" : "no");
}

#pragma GCC diagnostic pop

void out_null(struct out *o, const char *key)
{
    if (o->json)
        attach(o, key, json_null());
}

void out_text(struct out *o, const char *fmt, ...)
{
    if (o->json)
        return;
    va_list ap;
    va_start(ap, fmt);
    vtext(o, OUT_C_NONE, fmt, ap);
    va_end(ap);
}

void out_ctext(struct out *o, enum out_color c, const char *fmt, ...)
{
    if (o->json)
        return;
    va_list ap;
    va_start(ap, fmt);
    vtext(o, c, fmt, ap);
    va_end(ap);
}

int out_flush(struct out *o)
{
    while (o->depth > 0) /* a caller that returned early still gets valid JSON */
        end(o);
    if (fflush(o->fp) != 0 || ferror(o->fp))
        return -1;
    return o->errors ? -1 : 0;
}
