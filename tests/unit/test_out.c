/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The output layer: the same calls give text or JSON; NDJSON for several top-level values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inttypes.h>

#include "cli/out.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_form),   cmocka_unit_test(color_form),
        cmocka_unit_test(json_form),   cmocka_unit_test(ndjson_and_unclosed),
        cmocka_unit_test(write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
