/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_oui.c - the IEEE registry line parser, the buffer scan and the file lookup. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oui.h"

static bool parse(const char *line, uint8_t oui[3], char *vendor)
{
    return oui_parse_line(line, strlen(line), oui, vendor, OUI_NAMELEN);
}

static void test_parse_line(void **state)
{
    (void)state;
    uint8_t oui[3];
    char v[OUI_NAMELEN];
    assert_true(parse("00-16-3E   (hex)\t\tXensource, Inc.", oui, v));
    assert_int_equal(oui[0], 0x00);
    assert_int_equal(oui[1], 0x16);
    assert_int_equal(oui[2], 0x3e);
    assert_string_equal(v, "Xensource, Inc.");
    /* Lowercase hex, one space, trailing blanks and a CR are all fine. */
    assert_true(parse("f4-bd-9e (hex) Cisco Systems, Inc  \t\r", oui, v));
    assert_int_equal(oui[0], 0xf4);
    assert_string_equal(v, "Cisco Systems, Inc");
    /* Not registry lines. */
    assert_false(parse("00163E     (base 16)\t\tXensource, Inc.", oui, v));
    assert_false(parse("\t\t\t\tSalisbury House", oui, v));
    assert_false(parse("", oui, v));
    assert_false(parse("00-16-3E", oui, v));
    assert_false(parse("00-16-3E   (hex)", oui, v));       /* no vendor */
    assert_false(parse("00-16-3E   (hex)   \t ", oui, v)); /* only blanks */
    assert_false(parse("00-16-3E(hex) X", oui, v));        /* no space */
    assert_false(parse("00-16-3E   (HEX) X", oui, v));
    assert_false(parse("0G-16-3E   (hex) X", oui, v));
    assert_false(parse("00:16:3E   (hex) X", oui, v));
    assert_false(parse("00-16-3E   (he", oui, v));
    /* A long vendor is cut to the buffer, terminated. */
    char line[400], small[8];
    memset(line, 'x', sizeof(line));
    memcpy(line, "AA-BB-CC (hex) ", 15);
    line[sizeof(line) - 1] = '\0';
    assert_true(oui_parse_line(line, strlen(line), oui, small, sizeof(small)));
    assert_string_equal(small, "xxxxxxx");
    assert_false(oui_parse_line(line, strlen(line), oui, small, 0));
}

static void test_applies(void **state)
{
    (void)state;
    const uint8_t xen[6] = {0x00, 0x16, 0x3e, 1, 2, 3};
    const uint8_t local[6] = {0x02, 0xfc, 0, 0, 0, 1};
    const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0, 0, 1};
    const uint8_t zero[6] = {0};
    const uint8_t eui64[8] = {0x00, 0x16, 0x3e, 1, 2, 3, 4, 5};
    assert_true(oui_applies(xen, 6));
    assert_true(oui_applies(eui64, 8));
    assert_false(oui_applies(local, 6));
    assert_false(oui_applies(mcast, 6));
    assert_false(oui_applies(zero, 6));
    assert_false(oui_applies(xen, 4)); /* a tunnel's IPv4 "address" */
    assert_false(oui_applies(xen, 0));
}

static char *load_sample(size_t *len)
{
    const char *dir = getenv("NETKIT_FIXTURES");
    char path[512];
    snprintf(path, sizeof(path), "%s/oui-sample.txt", dir ? dir : "tests/fixtures");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(65536);
    *len = fread(buf, 1, 65536, f);
    fclose(f);
    return buf;
}

static void test_scan(void **state)
{
    (void)state;
    size_t len;
    char *buf = load_sample(&len);
    struct oui_query q[] = {
        {{0x00, 0x16, 0x3e}, false, ""}, {{0xf4, 0xbd, 0x9e}, false, ""},
        {{0x00, 0xaa, 0xbb}, false, ""}, {{0x00, 0xaa, 0xbc}, false, ""},
        {{0x00, 0x11, 0x22}, false, ""}, {{0xac, 0xde, 0x48}, false, ""},
        {{0x12, 0x34, 0x56}, false, ""}, {{0x00, 0x22, 0x72}, false, ""},
    };
    size_t n = sizeof(q) / sizeof(q[0]);
    assert_int_equal(oui_scan(buf, len, q, n), 5);
    assert_string_equal(q[0].vendor, "Xensource, Inc.");
    assert_string_equal(q[1].vendor, "Cisco Systems, Inc");
    assert_false(q[2].found); /* indented: not a registry line */
    assert_false(q[3].found);
    assert_string_equal(q[4].vendor, "Windows Line Ending Inc.");
    assert_string_equal(q[5].vendor, "Last Line Without Newline");
    assert_false(q[6].found);
    assert_string_equal(q[7].vendor, "American Micro-Fuel Device Corp.");
    /* Found ones are not looked for again. */
    assert_int_equal(oui_scan(buf, len, q, n), 0);
    /* An entry at the very start of the buffer. */
    struct oui_query first = {{0x00, 0x22, 0x72}, false, ""};
    const char *at0 = strstr(buf, "00-22-72");
    assert_int_equal(oui_scan(at0, strlen(at0), &first, 1), 1);
    /* Cut in the middle of the needle or of the vendor: no false match, no overrun. */
    for (size_t cut = 0; cut < len; cut++) {
        struct oui_query c = {{0xf4, 0xbd, 0x9e}, false, ""};
        oui_scan(buf, cut, &c, 1);
        if (c.found)
            assert_int_equal(strncmp(c.vendor, "Cisco Systems, Inc", strlen(c.vendor)), 0);
    }
    assert_int_equal(oui_scan(buf, 0, q, 0), 0);
    free(buf);
}

static void test_lookup_file(void **state)
{
    (void)state;
    const char *dir = getenv("NETKIT_FIXTURES");
    char path[512];
    snprintf(path, sizeof(path), "%s/oui-sample.txt", dir ? dir : "tests/fixtures");
    struct oui_query q[] = {{{0x00, 0x16, 0x3e}, false, ""}, {{0x12, 0x34, 0x56}, false, ""}};
    assert_int_equal(oui_lookup(path, q, 2), 1);
    assert_string_equal(q[0].vendor, "Xensource, Inc.");
    assert_false(q[1].found);
    /* A missing file, a directory, an empty file: no vendors, no error. */
    struct oui_query m = {{0x00, 0x16, 0x3e}, false, ""};
    assert_int_equal(oui_lookup("/nonexistent/oui.txt", &m, 1), 0);
    assert_int_equal(oui_lookup("/", &m, 1), 0);
    assert_int_equal(oui_lookup("/dev/null", &m, 1), 0);
    assert_false(m.found);
    /* NETKIT_OUI_FILE is the default path's override. */
    setenv("NETKIT_OUI_FILE", path, 1);
    assert_int_equal(oui_lookup(NULL, &m, 1), 1);
    unsetenv("NETKIT_OUI_FILE");
}

/* Entries on both sides of a lookup window's edge (512 KiB) are found. */
static void test_lookup_window_edges(void **state)
{
    (void)state;
    char path[] = "/tmp/nk-oui-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    const size_t window = 512 * 1024;
    /* Filler lines, then entries placed so one straddles the first window's end. */
    size_t written = 0;
    const char *filler = "\t\t\t\tfiller address line\n";
    while (written + 64 < window - 10) {
        fputs(filler, f);
        written += strlen(filler);
    }
    while (written < window - 10) {
        fputc('\n', f);
        written++;
    }
    fputs("00-16-3E   (hex)\t\tStraddling Inc.\n", f);
    for (int i = 0; i < 40000; i++)
        fputs(filler, f);
    fputs("F4-BD-9E   (hex)\t\tFar Away Ltd\n", f);
    fclose(f);
    struct oui_query q[] = {{{0x00, 0x16, 0x3e}, false, ""}, {{0xf4, 0xbd, 0x9e}, false, ""}};
    assert_int_equal(oui_lookup(path, q, 2), 2);
    assert_string_equal(q[0].vendor, "Straddling Inc.");
    assert_string_equal(q[1].vendor, "Far Away Ltd");
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_line),
        cmocka_unit_test(test_applies),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_lookup_file),
        cmocka_unit_test(test_lookup_window_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
