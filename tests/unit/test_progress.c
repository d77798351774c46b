/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The words of the progress lines: time left at a steady rate (unknown before anything is
 * done, never negative), "about N s left" rounded up, durations for summaries; and no line,
 * no terminal change, when stderr is not a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cli/progress.h"

static void eta(void **state)
{
    (void)state;
    assert_true(progress_eta(0, 100, 5) < 0);    /* nothing done: unknown */
    assert_true(progress_eta(10, 0, 5) < 0);     /* no total: unknown */
    assert_true(progress_eta(120, 100, 5) < 0);  /* a total that was wrong: unknown */
    assert_true(progress_eta(50, 100, 0) < 0);   /* no time yet */
    assert_true(progress_eta(25, 100, 3) == 9);  /* a quarter in 3 s: 9 s more */
    assert_true(progress_eta(100, 100, 7) == 0); /* done */
}

static void left(void **state)
{
    (void)state;
    char b[48];
    assert_string_equal(progress_left(b, sizeof(b), -1), "");
    assert_string_equal(progress_left(b, sizeof(b), 0), "about 0 s left");
    assert_string_equal(progress_left(b, sizeof(b), 0.2), "about 1 s left"); /* rounded up */
    assert_string_equal(progress_left(b, sizeof(b), 59), "about 59 s left");
    assert_string_equal(progress_left(b, sizeof(b), 125), "about 2 min 5 s left");
    assert_string_equal(progress_left(b, sizeof(b), 3720), "about 1 h 2 min left");
    char tiny[6];
    progress_left(tiny, sizeof(tiny), 125); /* cut, never overrun */
    assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
}

static void duration(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(progress_duration(b, sizeof(b), 3.21), "3.2 s");
    assert_string_equal(progress_duration(b, sizeof(b), -1), "0.0 s");
    assert_string_equal(progress_duration(b, sizeof(b), 125), "2 min 5 s");
    assert_string_equal(progress_duration(b, sizeof(b), 7260), "2 h 1 min");
}

static void off_without_a_terminal(void **state)
{
    (void)state;
    /* stderr on /dev/null: nothing is drawn, nothing is active after the end. */
    int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);
    assert_true(saved >= 0 && null >= 0);
    assert_int_equal(dup2(null, STDERR_FILENO), STDERR_FILENO);
    struct progress p;
    progress_start(&p);
    assert_false(p.on);
    assert_ptr_equal(progress_active(), &p);
    progress_show(&p, "%d/%d", 1, 2);
    assert_false(p.shown);
    progress_end(&p);
    assert_null(progress_active());
    assert_false(p.echoctl);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(null);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eta),
        cmocka_unit_test(left),
        cmocka_unit_test(duration),
        cmocka_unit_test(off_without_a_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
