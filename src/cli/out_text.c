/* SPDX-License-Identifier: GPL-3.0-or-later */
/* out_text.c - the text side of the output layer: netkit's one escaping rule, colours, and the
 * line that goes to the stream in one write (with a printf-free path for the usual fields). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/out_int.h"

static const char *const color_seq[] = {
    [OUT_C_NONE] = "",         [OUT_C_NAME] = "\033[1;36m", [OUT_C_MAC] = "\033[33m",
    [OUT_C_INET] = "\033[35m", [OUT_C_INET6] = "\033[34m",  [OUT_C_GOOD] = "\033[32m",
    [OUT_C_BAD] = "\033[31m",  [OUT_C_WARN] = "\033[1;33m", [OUT_C_DIM] = "\033[2m",
};
static const char color_reset[] = "\033[0m";

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

/* ---- text ---- */

/* Hand the held text to the stream. */
void out_drain(struct out *o)
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
        out_drain(o);
}

/* Text bytes into the table, or into the line, as they are; vis: they take room on the screen. */
static void put_raw(struct out *o, const char *s, size_t n, bool vis)
{
    if (o->tab.on) {
        out_tab_put(o, s, n, vis ? n : 0);
        return;
    }
    if (o->nline + n > sizeof(o->line)) {
        out_drain(o);
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

/* The fast path for the commonest formats: "PREFIX%sSUFFIX", "PREFIX%lluSUFFIX" (and %lu, %u,
 * %d ...): the pieces are copied as they are, with no printf, and a line goes to the stream in
 * one write. A batch of resolve prints millions of fields; printf per field was a quarter of
 * netkit's own time there. Returns false (nothing written) for any other format. */
bool out_fast(struct out *o, enum out_color c, const char *fmt, const char *s, const char *num)
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
