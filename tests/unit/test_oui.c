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
#include <sys/stat.h>
#include <unistd.h>

#include "link/oui.h"
#include "link/ouiidx.h"

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

/* Direct search of the registry: no cache. */
static void test_lookup_file(void **state)
{
    (void)state;
    setenv("NETKIT_OUI_CACHE", "", 1);
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
    unsetenv("NETKIT_OUI_CACHE");
}

/* Entries on both sides of a lookup window's edge (512 KiB) are found. */
static void test_lookup_window_edges(void **state)
{
    (void)state;
    char cache[] = "/tmp/nk-ouicache-XXXXXX";
    assert_non_null(mkdtemp(cache));
    char cpath[600];
    snprintf(cpath, sizeof(cpath), "%s/sub/oui.idx", cache);
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
    /* The same answers from the direct search, the index as built, and the cached index. */
    for (int round = 0; round < 3; round++) {
        setenv("NETKIT_OUI_CACHE", round == 0 ? "" : cpath, 1);
        struct oui_query q[] = {{{0x00, 0x16, 0x3e}, false, ""},
                                {{0xf4, 0xbd, 0x9e}, false, ""},
                                {{0x12, 0x34, 0x56}, false, ""}};
        assert_int_equal(oui_lookup(path, q, 3), 2);
        assert_string_equal(q[0].vendor, "Straddling Inc.");
        assert_string_equal(q[1].vendor, "Far Away Ltd");
        assert_false(q[2].found);
        assert_int_equal(access(cpath, F_OK), round == 0 ? -1 : 0);
    }
    unsetenv("NETKIT_OUI_CACHE");
    unlink(cpath);
    snprintf(cpath, sizeof(cpath), "%s/sub", cache);
    rmdir(cpath);
    rmdir(cache);
    unlink(path);
}

static void test_index_collect(void **state)
{
    (void)state;
    size_t len;
    char *buf = load_sample(&len);
    struct ouiidx_entry *e = NULL;
    size_t n = 0, cap = 0;
    assert_int_equal(ouiidx_collect(buf, len, 0, len, 1000, &e, &n, &cap), 0);
    assert_int_equal(n, 5); /* not the indented lines */
    ouiidx_sort(e, n);
    static const uint8_t want[5][3] = {
        {0x00, 0x11, 0x22}, {0x00, 0x16, 0x3e}, {0x00, 0x22, 0x72},
        {0xac, 0xde, 0x48}, {0xf4, 0xbd, 0x9e},
    };
    for (size_t i = 0; i < 5; i++) {
        assert_memory_equal(e[i].oui, want[i], 3);
        /* offsets are file offsets (base 1000) of the line starts */
        size_t off = e[i].offset - 1000;
        assert_true(off == 0 || buf[off - 1] == '\n');
        uint8_t oui[3];
        char v[OUI_NAMELEN];
        assert_true(oui_parse_line(buf + off, strcspn(buf + off, "\n"), oui, v, sizeof(v)));
    }
    assert_ptr_equal(ouiidx_find(e, n, want[3]), &e[3]);
    assert_ptr_equal(ouiidx_find(e, n, want[0]), &e[0]);
    assert_ptr_equal(ouiidx_find(e, n, want[4]), &e[4]);
    static const uint8_t none[3] = {0x00, 0x16, 0x3f}, low[3] = {0, 0, 0},
                         high[3] = {255, 255, 255};
    assert_null(ouiidx_find(e, n, none));
    assert_null(ouiidx_find(e, n, low));
    assert_null(ouiidx_find(e, n, high));
    assert_null(ouiidx_find(e, 0, want[0]));
    /* Only lines that start in [from, to) count. */
    size_t n2 = 0;
    const char *second = strstr(buf, "00-16-3E");
    size_t from = (size_t)(second - buf), to = (size_t)(strstr(buf, "F4-BD-9E") - buf);
    assert_int_equal(ouiidx_collect(buf, len, from, to, 0, &e, &n2, &cap), 0);
    assert_int_equal(n2, 1);
    /* from in the middle of a line skips to the next line. */
    n2 = 0;
    assert_int_equal(ouiidx_collect(buf, len, from + 1, len, 0, &e, &n2, &cap), 0);
    assert_int_equal(n2, 3);
    /* Duplicates: the earliest line wins, as a scan would find it. */
    struct ouiidx_entry d[3] = {{{1, 2, 3}, 0, 50}, {{1, 2, 3}, 0, 10}, {{0, 0, 1}, 0, 99}};
    ouiidx_sort(d, 3);
    assert_int_equal(ouiidx_find(d, 3, d[1].oui)->offset, 10);
    free(e);
    free(buf);
}

/* A stale or damaged cache is rebuilt; the answers stay right. */
static void test_index_cache_refresh(void **state)
{
    (void)state;
    char dir[] = "/tmp/nk-ouicache-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char reg[600], cpath[600];
    snprintf(reg, sizeof(reg), "%s/oui.txt", dir);
    snprintf(cpath, sizeof(cpath), "%s/oui.idx", dir);
    setenv("NETKIT_OUI_CACHE", cpath, 1);
    FILE *f = fopen(reg, "w");
    fputs("00-16-3E   (hex)\t\tFirst Name\n", f);
    fclose(f);
    struct oui_query q = {{0x00, 0x16, 0x3e}, false, ""};
    assert_int_equal(oui_lookup(reg, &q, 1), 1);
    assert_string_equal(q.vendor, "First Name");
    /* The registry changes (size and time): the cache no longer describes it. */
    f = fopen(reg, "w");
    fputs("\n\n00-16-3E   (hex)\t\tSecond, Longer Name\n", f);
    fclose(f);
    q.found = false;
    assert_int_equal(oui_lookup(reg, &q, 1), 1);
    assert_string_equal(q.vendor, "Second, Longer Name");
    /* Garbage in the cache file. */
    f = fopen(cpath, "w");
    fputs("NKOUI01\nnot really an index at all, just some bytes of the wrong size", f);
    fclose(f);
    q.found = false;
    assert_int_equal(oui_lookup(reg, &q, 1), 1);
    assert_string_equal(q.vendor, "Second, Longer Name");
    struct stat st;
    stat(reg, &st);
    struct ouiidx idx;
    assert_int_equal(ouiidx_load(cpath, &st, &idx), 0); /* rewritten, valid again */
    assert_int_equal(idx.n, 1);
    ouiidx_free(&idx);
    /* A cache location that cannot be written: still answered (from the built index). */
    setenv("NETKIT_OUI_CACHE", "/proc/nk-no/oui.idx", 1);
    q.found = false;
    assert_int_equal(oui_lookup(reg, &q, 1), 1);
    unsetenv("NETKIT_OUI_CACHE");
    char buf[64];
    setenv("XDG_CACHE_HOME", "/x", 1);
    assert_string_equal(ouiidx_cache_path(buf, sizeof(buf)), "/x/netkit/oui.idx");
    unsetenv("XDG_CACHE_HOME");
    setenv("HOME", "/h", 1);
    assert_string_equal(ouiidx_cache_path(buf, sizeof(buf)), "/h/.cache/netkit/oui.idx");
    setenv("NETKIT_OUI_CACHE", "", 1);
    assert_null(ouiidx_cache_path(buf, sizeof(buf)));
    unsetenv("NETKIT_OUI_CACHE");
    unlink(cpath);
    unlink(reg);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_line),
        cmocka_unit_test(test_applies),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_lookup_file),
        cmocka_unit_test(test_lookup_window_edges),
        cmocka_unit_test(test_index_collect),
        cmocka_unit_test(test_index_cache_refresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
