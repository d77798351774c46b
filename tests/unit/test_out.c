/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The output layer: the same calls give text or JSON; NDJSON for several top-level values;
 * columns whose widths are computed once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inttypes.h>
#include <jansson.h>
#include <math.h>

#include "cli/out.h"
#include "lib/num.h"

/* Emit the same record through out.h and return what was written (malloc'd). */
static char *emit(bool json, bool color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct out *o = out_new(fp, json, color);
    out_arr_begin(o, NULL);
    out_obj_begin(o, NULL);
    out_str(o, OUT_C_NAME, "ifname", "%s:", "eth0");
    out_u64(o, "mtu", " mtu %" PRIu64, 1500);
    out_str(o, OUT_C_NONE, "quote", NULL, "a\"b\\c\n");
    out_bool(o, "up", " up=%s", true);
    out_dbl(o, "time_ms", " %.2f ms", 0.41);
    out_null(o, "peer");
    out_arr_begin(o, "flags");
    out_str(o, OUT_C_NONE, NULL, " <%s>", "UP");
    out_arr_end(o);
    out_text(o, "\n");
    out_obj_end(o);
    out_arr_end(o);
    assert_int_equal(out_close(o), 0);
    fclose(fp);
    return buf;
}

static void text_form(void **state)
{
    (void)state;
    char *s = emit(false, false);
    assert_string_equal(s, "eth0: mtu 1500 up=yes 0.41 ms <UP>\n");
    free(s);
}

static void color_form(void **state)
{
    (void)state;
    char *s = emit(false, true);
    assert_non_null(strstr(s, "\033[1;36meth0:\033[0m"));
    free(s);
}

static void json_form(void **state)
{
    (void)state;
    char *s = emit(true, true); /* colour never reaches JSON */
    assert_string_equal(s, "[{\"ifname\":\"eth0\",\"mtu\":1500,\"quote\":\"a\\\"b\\\\c\\n\","
                           "\"up\":true,\"time_ms\":0.41,\"peer\":null,\"flags\":[\"UP\"]}]\n");
    free(s);
}

static void ndjson_and_unclosed(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct out *o = out_new(fp, true, false);
    (void)state;
    for (int i = 0; i < 2; i++) {
        out_obj_begin(o, NULL);
        out_i64(o, "n", NULL, -i);
        out_obj_end(o);
    }
    out_obj_begin(o, NULL); /* left open: out_close closes it */
    out_str(o, OUT_C_NONE, "s", NULL, NULL);
    assert_int_equal(out_close(o), 0);
    fclose(fp);
    assert_string_equal(buf, "{\"n\":0}\n{\"n\":-1}\n{\"s\":null}\n");
    free(buf);
}

static void write_error(void **state)
{
    (void)state;
    FILE *fp = fopen("/dev/full", "w");
    if (!fp)
        skip();
    struct out *o = out_new(fp, false, false);
    out_text(o, "%s\n", "hello");
    assert_int_equal(out_close(o), -1);
    fclose(fp);
}

/* A table of two kinds of rows with text between them, as ifaces prints interfaces. */
static const struct out_cols head_cols = {
    .n = 3,
    .col = {{.right = true, .gap = ": "}, {.gap = "  "}},
};
static const struct out_cols item_cols = {
    .n = 3,
    .col = {{.title = "NAME", .min = 6}, {.title = "VALUE"}, {.title = "NOTE"}},
};

static char *table(bool json, bool color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct out *o = out_new(fp, json, color);
    static const struct {
        int index;
        const char *name, *items[3][3];
    } recs[] = {
        {7, "eth0", {{"mtu", "1500", ""}, {"speed", "10000", "full duplex"}}},
        {12, "wlan-long", {{"a", "b", NULL}}},
    };
    out_table_begin(o);
    out_arr_begin(o, NULL);
    out_text(o, "before\n");
    out_titles(o, &item_cols, 3, OUT_C_NONE);
    for (int r = 0; r < 2; r++) {
        out_obj_begin(o, NULL);
        out_row(o, &head_cols);
        out_i64(o, "index", "%" PRId64, recs[r].index);
        out_cell(o);
        out_str(o, OUT_C_NAME, "name", "%s", recs[r].name);
        out_cell(o);
        out_text(o, "<end>");
        out_row_end(o);
        out_arr_begin(o, "items");
        for (int i = 0; i < 3 && recs[r].items[i][0]; i++) {
            out_row(o, &item_cols);
            for (int k = 0; k < 3; k++) {
                if (k)
                    out_cell(o);
                if (recs[r].items[i][k])
                    out_str(o, OUT_C_NONE, NULL, "%s", recs[r].items[i][k]);
            }
            out_row_end(o);
        }
        out_arr_end(o);
        out_text(o, "-- %d --\n", r);
        out_obj_end(o);
    }
    out_arr_end(o);
    out_table_end(o);
    assert_int_equal(out_close(o), 0);
    fclose(fp);
    return buf;
}

static void columns(void **state)
{
    (void)state;
    char *s = table(false, false);
    /* Widths from every row of a kind; padding only before a cell with text. */
    assert_string_equal(s, "before\n"
                           "NAME   VALUE NOTE\n"
                           " 7: eth0       <end>\n"
                           "mtu    1500\n"
                           "speed  10000 full duplex\n"
                           "-- 0 --\n"
                           "12: wlan-long  <end>\n"
                           "a      b\n"
                           "-- 1 --\n");
    free(s);
    /* Colour codes take no room. */
    s = table(false, true);
    assert_non_null(strstr(s, " 7: \033[1;36meth0\033[0m       <end>\n"));
    free(s);
    /* JSON: the same records, no text. */
    s = table(true, false);
    assert_string_equal(s, "[{\"index\":7,\"name\":\"eth0\",\"items\":[\"mtu\",\"1500\",\"\","
                           "\"speed\",\"10000\",\"full duplex\"]},{\"index\":12,\"name\":"
                           "\"wlan-long\",\"items\":[\"a\",\"b\"]}]\n");
    free(s);
}

static void formats(void **state)
{
    /* The fast path and printf give the same text. */
    char *buf = NULL;
    size_t len = 0;
    (void)state;
    FILE *fp = open_memstream(&buf, &len);
    struct out *o = out_new(fp, false, false);
    out_str(o, OUT_C_NONE, "k", "[%s]", "a");
    out_str(o, OUT_C_NONE, "k", "[%5s]", "b");
    out_str(o, OUT_C_NONE, "k", "%s%%", "c");
    out_u64(o, "k", " %" PRIu64, UINT64_MAX);
    out_u64(o, "k", " %llu.", 0);
    out_u64(o, "k", " %-4" PRIu64 "|", 7);
    out_i64(o, "k", " %" PRId64, INT64_MIN);
    out_i64(o, "k", " %lld", -5);
    out_bool(o, "k", " %s", false);
    out_str(o, OUT_C_NONE, "k", NULL, "unseen");
    assert_int_equal(out_close(o), 0);
    fclose(fp);
    assert_string_equal(buf,
                        "[a][    b]c% 18446744073709551615 0. 7   | -9223372036854775808 -5 no");
    free(buf);
}

static void no_output_object(void **state)
{
    /* out_new failed: every call is harmless and the close reports it. */
    (void)state;
    out_obj_begin(NULL, NULL);
    out_str(NULL, OUT_C_NONE, "k", "%s", "v");
    out_table_begin(NULL);
    out_row(NULL, &item_cols);
    out_cell(NULL);
    out_table_end(NULL);
    assert_int_equal(out_close(NULL), -1);
}

/* Issue 14: every byte that is not valid UTF-8 is written as \xHH in text and JSON (never a
 * dropped field); control bytes are escaped in text (JSON escapes them its own way). */
static char *one(bool json, const char *v)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct out *o = out_new(fp, json, false);
    out_obj_begin(o, NULL);
    out_str(o, OUT_C_NONE, "query", "%s", v);
    out_text(o, " [%s]\n", v);
    out_obj_end(o);
    assert_int_equal(out_close(o), 0);
    fclose(fp);
    return buf;
}

static void escaping(void **state)
{
    (void)state;
    char *s = one(true, "\xff\xfe.t");
    assert_string_equal(s, "{\"query\":\"\\\\xff\\\\xfe.t\"}\n");
    free(s);
    s = one(false, "\xff\xfe.t");
    assert_string_equal(s, "\\xff\\xfe.t [\\xff\\xfe.t]\n");
    free(s);
    s = one(false, "\033[31mRED\x01");
    assert_string_equal(s, "\\x1b[31mRED\\x01 [\\x1b[31mRED\\x01]\n");
    free(s);
    s = one(true, "\033[31m");
    assert_string_equal(s, "{\"query\":\"\\u001B[31m\"}\n");
    free(s);
    /* Valid UTF-8 passes; overlong forms, surrogates and cut sequences do not. */
    s = one(false, "caf\xc3\xa9 \xc0\xaf \xed\xa0\x80 \xe2\x82");
    assert_string_equal(s, "caf\xc3\xa9 \\xc0\\xaf \\xed\\xa0\\x80 \\xe2\\x82 [caf\xc3\xa9 "
                           "\\xc0\\xaf \\xed\\xa0\\x80 \\xe2\\x82]\n");
    free(s);
    char buf[8];
    assert_int_equal(out_escape(buf, sizeof(buf),
                                "a\xff"
                                "b\x1b",
                                4, true),
                     10);
    assert_string_equal(buf, "a\\xffb"); /* an escape is never cut */
}

/* The JSON is written as it comes, without a tree: it must be byte for byte what jansson's
 * compact dump of the same values gives (what netkit printed before, and what scripts see). */
static void jansson_same(void **state)
{
    (void)state;
    static const char *const strs[] = {
        "",
        "plain",
        "a\"b\\c/d",
        "\b\f\n\r\t\x01\x1f\x7f",
        "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
        "\xff\xfe.t",
        "\xc0\xaf \xed\xa0\x80 \xe2\x82",
        "\xe2\x80\xa8 end",
    };
    static const double reals[] = {
        0.0,       -0.0,   0.41,          1.0,         -2.5,   0.05,     0.1,
        1e20,      1.5e-5, 123456789.12,  99999999.99, 1e-300, 1e300,    3.14159265358979,
        2.0 / 3.0, 1e9,    12345678901.0, 0.001,       0.0001, 1e-4 / 3,
    };
    static const int64_t ints[] = {0, 1, -1, 1500, INT64_MAX, INT64_MIN, (int64_t)UINT64_MAX};
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct out *o = out_new(fp, true, false);
    json_t *root = json_array();
    out_arr_begin(o, NULL);
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        char esc[64];
        out_escape(esc, sizeof(esc), strs[i], strlen(strs[i]), false);
        out_obj_begin(o, NULL);
        out_str(o, OUT_C_NONE, "s", NULL, strs[i]);
        out_str(o, OUT_C_NONE, strs[i][0] ? "k\"\n" : "e", NULL, strs[i]);
        out_str(o, OUT_C_NONE, NULL, "dropped %s", "x"); /* no key in an object */
        out_obj_end(o);
        json_t *ob = json_object();
        json_object_set_new(ob, "s", json_string(esc));
        json_object_set_new(ob, strs[i][0] ? "k\"\n" : "e", json_string(esc));
        json_array_append_new(root, ob);
    }
    for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
        out_dbl(o, NULL, NULL, reals[i]);
        json_array_append_new(root, json_real(reals[i]));
    }
    /* Times as resolve rounds them, over a wide range; nk_round2 agrees with libm's round. */
    for (double x = 0.001; x < 2e8; x = x * 1.37 + 0.013) {
        double v = nk_round2(x);
        assert_true(v == round(x * 100) / 100);
        assert_true(nk_round2(-x) == -v);
        assert_true(nk_round2(x + 0.005) == round(x * 100 + 0.5) / 100 ||
                    nk_round2(x + 0.005) == round((x + 0.005) * 100) / 100);
        out_dbl(o, NULL, NULL, v);
        json_array_append_new(root, json_real(v));
    }
    assert_true(isnan(nk_round2(NAN)) && nk_round2(INFINITY) == INFINITY);
    assert_true(nk_round2(1e300) == 1e300 && nk_round2(-0.004) == 0 && nk_round2(2.675) == 2.68);
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        out_i64(o, NULL, NULL, ints[i]);
        out_u64(o, NULL, NULL, (uint64_t)ints[i]);
        json_array_append_new(root, json_integer(ints[i]));
        json_array_append_new(root, json_integer(ints[i]));
    }
    static const char long_key[] = "a_key_longer_than_the_short_way_takes_"
                                   "0123456789012345678901234567890123456789";
    out_obj_begin(o, NULL);
    out_u64(o, long_key, NULL, 7);
    out_bool(o, "t", NULL, true);
    out_bool(o, "f", NULL, false);
    out_null(o, "n");
    out_arr_begin(o, "empty");
    out_arr_end(o);
    out_obj_begin(o, "o");
    out_obj_end(o);
    out_obj_begin(o, NULL); /* no key: dropped with everything in it */
    out_str(o, OUT_C_NONE, "lost", NULL, "x");
    out_arr_begin(o, "lost2");
    out_u64(o, NULL, NULL, 1);
    out_arr_end(o);
    out_obj_end(o);
    out_dbl(o, "nan", NULL, NAN); /* dropped, and the output fails */
    out_obj_end(o);
    json_t *ob = json_object();
    json_object_set_new(ob, long_key, json_integer(7));
    json_object_set_new(ob, "t", json_true());
    json_object_set_new(ob, "f", json_false());
    json_object_set_new(ob, "n", json_null());
    json_object_set_new(ob, "empty", json_array());
    json_object_set_new(ob, "o", json_object());
    json_array_append_new(root, ob);
    out_arr_end(o);
    assert_int_equal(out_close(o), -1);
    fclose(fp);
    char *want = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(10));
    assert_non_null(want);
    assert_int_equal(len, strlen(want) + 1);
    assert_memory_equal(buf, want, strlen(want));
    assert_int_equal(buf[len - 1], '\n');
    free(want);
    json_decref(root);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_form),   cmocka_unit_test(color_form),
        cmocka_unit_test(json_form),   cmocka_unit_test(ndjson_and_unclosed),
        cmocka_unit_test(write_error), cmocka_unit_test(columns),
        cmocka_unit_test(formats),     cmocka_unit_test(no_output_object),
        cmocka_unit_test(escaping),    cmocka_unit_test(jansson_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
