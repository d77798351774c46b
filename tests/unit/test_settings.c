/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shell's settings: checking values (`set`, --dns), and the settings file's text (parse
 * with its bad lines reported by number, format, and the two round-tripping). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cli/opt.h"
#include "cli/settings.h"

/* The bad lines one parse reported: "LINE: MESSAGE" each, joined by '\n'. */
static char warned[2048];

static void warn(unsigned long line, const char *msg, void *arg)
{
    (void)arg;
    size_t l = strlen(warned);
    snprintf(warned + l, sizeof(warned) - l, "%lu: %s\n", line, msg);
}

static int parse(struct nk_settings *s, const char *text)
{
    warned[0] = '\0';
    return nk_settings_parse(s, text, strlen(text), warn, NULL);
}

static void set_values(void **state)
{
    struct nk_settings s = {0};
    char err[NK_ERRLEN], v[256];
    (void)state;
    assert_int_equal(nk_setting_set(&s, "server", "127.0.0.1:5300,[::1]:53", err), 0);
    assert_string_equal(s.server, "127.0.0.1:5300,[::1]:53");
    assert_int_equal(nk_setting_set(&s, "server", "system", err), 0);
    assert_string_equal(s.server, "");
    assert_int_equal(nk_setting_get(&s, "server", v, sizeof(v)), 0);
    assert_string_equal(v, "system");
    assert_int_equal(nk_setting_set(&s, "json", "on", err), 0);
    assert_true(s.json);
    assert_int_equal(nk_setting_set(&s, "color", "never", err), 0);
    assert_int_equal(s.color_mode, NK_COLOR_NEVER);
    assert_int_equal(nk_setting_set(&s, "timeout", "250", err), 0);
    assert_int_equal(s.timeout_ms, 250);
    assert_int_equal(nk_setting_get(&s, "timeout", v, sizeof(v)), 0);
    assert_string_equal(v, "250");
    assert_int_equal(nk_setting_get(&s, "bogus", v, sizeof(v)), -1);
}

static void bad_values(void **state)
{
    struct nk_settings s = {0}, before;
    char err[NK_ERRLEN];
    (void)state;
    s.json = true;
    before = s;
    /* Each names the value, and leaves the settings as they were. */
    assert_int_equal(nk_setting_set(&s, "json", "maybe", err), -1);
    assert_string_equal(err, "json: 'maybe': expected on or off");
    assert_int_equal(nk_setting_set(&s, "color", "blue", err), -1);
    assert_string_equal(err, "color: 'blue': expected auto, always or never");
    assert_int_equal(nk_setting_set(&s, "timeout", "-1", err), -1);
    assert_non_null(strstr(err, "-1"));
    assert_int_equal(nk_setting_set(&s, "timeout", "600001", err), -1);
    assert_non_null(strstr(err, "600001: timeout out of range (0-600000)"));
    assert_int_equal(nk_setting_set(&s, "server", "300.1.1.1", err), -1);
    assert_non_null(strstr(err, "300.1.1.1"));
    assert_int_equal(nk_setting_set(&s, "server", "127.0.0.1:0", err), -1);
    assert_int_equal(nk_setting_set(&s, "server", "127.0.0.1,,::1", err), -1);
    assert_non_null(strstr(err, "empty server"));
    assert_int_equal(nk_setting_set(&s, "server", "", err), -1);
    assert_int_equal(nk_setting_set(&s, "sever", "1.1.1.1", err), -1);
    assert_string_equal(err, "'sever': unknown setting (server, json, color, timeout)");
    assert_int_equal(nk_setting_set(&s, "json", NULL, err), -1);
    assert_string_equal(err, "json: missing value");
    assert_memory_equal(&s, &before, sizeof(s));
    char longlist[400];
    memset(longlist, '1', sizeof(longlist) - 1);
    longlist[sizeof(longlist) - 1] = '\0';
    assert_int_equal(nk_dns_check(longlist, err), -1);
    assert_int_equal(nk_dns_check("192.0.2.1", err), 0);
}

static void parse_file(void **state)
{
    struct nk_settings s = {0};
    (void)state;
    assert_int_equal(parse(&s, "# comment\n\n  server = 127.0.0.1:5300  \njson on\r\n"
                               "color=never # trailing comment\ntimeout\t=\t100"),
                     0);
    assert_string_equal(warned, "");
    assert_string_equal(s.server, "127.0.0.1:5300");
    assert_true(s.json);
    assert_int_equal(s.color_mode, NK_COLOR_NEVER);
    assert_int_equal(s.timeout_ms, 100);
    /* The last of a name wins. */
    assert_int_equal(parse(&s, "json = off\njson = on\njson = off\n"), 0);
    assert_false(s.json);
    /* Empty text, only blanks, no final newline. */
    assert_int_equal(parse(&s, ""), 0);
    assert_int_equal(parse(&s, "   \n\t\n"), 0);
}

static void parse_bad_lines(void **state)
{
    struct nk_settings s = {0};
    (void)state;
    /* Each bad line reported with its number; the good ones around it still apply. */
    assert_int_equal(parse(&s, "json = on\nbogus = 1\ncolor = blue\ntimeout\nserver = x.y\n"
                               "color = always\n= on\n"),
                     5);
    assert_string_equal(warned, "2: 'bogus': unknown setting (server, json, color, timeout)\n"
                                "3: color: 'blue': expected auto, always or never\n"
                                "4: timeout: missing value\n"
                                "5: server: 'x.y': not an IP address\n"
                                "7: '': unknown setting (server, json, color, timeout)\n");
    assert_true(s.json);
    assert_int_equal(s.color_mode, NK_COLOR_ALWAYS);
    assert_string_equal(s.server, "");
    /* A NUL byte inside a line: that line is bad, the next one counts. */
    warned[0] = '\0';
    static const char nul[] = "json = o\0n\ncolor = never\n";
    assert_int_equal(nk_settings_parse(&s, nul, sizeof(nul) - 1, warn, NULL), 1);
    assert_string_equal(warned, "1: contains a NUL byte\n");
    assert_int_equal(s.color_mode, NK_COLOR_NEVER);
    /* A long name and a long value. */
    char line[2000];
    memset(line, 'a', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    assert_int_equal(parse(&s, line), 1);
    memcpy(line, "server ", 7);
    assert_int_equal(parse(&s, line), 1);
    assert_non_null(strstr(warned, "server: value too long"));
    /* No warn function: still counted. */
    assert_int_equal(nk_settings_parse(&s, "x\ny\n", 4, NULL, NULL), 2);
}

static void format_round_trip(void **state)
{
    struct nk_settings s = {0}, back = {0};
    char text[1024];
    (void)state;
    assert_int_equal(nk_settings_format(&s, text, sizeof(text)), 0);
    assert_non_null(strstr(text, "server = system\njson = off\ncolor = auto\ntimeout = 0\n"));
    snprintf(s.server, sizeof(s.server), "%s", "[::1]:5353,127.0.0.1");
    s.json = true;
    s.color_mode = NK_COLOR_ALWAYS;
    s.timeout_ms = 600000;
    assert_int_equal(nk_settings_format(&s, text, sizeof(text)), 0);
    assert_int_equal(parse(&back, text), 0);
    assert_memory_equal(&s, &back, sizeof(s));
    assert_int_equal(nk_settings_format(&s, text, 20), -1);
}

static void completion_values(void **state)
{
    (void)state;
    assert_string_equal(nk_setting_values("json")[1], "off");
    assert_string_equal(nk_setting_values("color")[2], "never");
    assert_string_equal(nk_setting_values("server")[0], "system");
    assert_null(nk_setting_values("timeout"));
    assert_null(nk_setting_values(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_values),        cmocka_unit_test(bad_values),
        cmocka_unit_test(parse_file),        cmocka_unit_test(parse_bad_lines),
        cmocka_unit_test(format_round_trip), cmocka_unit_test(completion_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
