/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_services.c - port classes and the service table (the ephemeral range: test_net.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "ports/services.h"

static void test_class(void **state)
{
    (void)state;
    assert_string_equal(services_class(0), "well-known");
    assert_string_equal(services_class(1023), "well-known");
    assert_string_equal(services_class(1024), "registered");
    assert_string_equal(services_class(49151), "registered");
    assert_string_equal(services_class(49152), "dynamic");
    assert_string_equal(services_class(65535), "dynamic");
}

static void test_lookups(void **state)
{
    (void)state;
    struct service s;
    /* netbase is a dependency: ssh is 22/tcp there. */
    assert_int_equal(services_by_name("ssh", "tcp", &s), 1);
    assert_int_equal(s.port, 22);
    assert_string_equal(s.proto, "tcp");
    assert_int_equal(services_by_port(80, "tcp", &s), 1);
    assert_string_equal(s.name, "http");
    assert_int_equal(s.naliases, 1);
    assert_string_equal(s.aliases[0], "www");
    assert_int_equal(services_by_name("www", "tcp", &s), 1); /* an alias */
    assert_string_equal(s.name, "http");
    assert_int_equal(services_by_name("no-such-service", "tcp", &s), 0);
    assert_int_equal(services_by_port(1, "udp", &s), 0);
}

static void test_table(void **state)
{
    (void)state;
    struct services_table t;
    assert_int_equal(services_table_load(&t), 0);
    assert_string_equal(services_table_name(&t, 22, IPPROTO_TCP), "ssh");
    assert_string_equal(services_table_name(&t, 53, IPPROTO_UDP), "domain");
    assert_null(services_table_name(&t, 1, IPPROTO_UDP));
    assert_null(services_table_name(&t, 70000, IPPROTO_TCP));
    services_table_free(&t);
    assert_null(services_table_name(&t, 22, IPPROTO_TCP));
}

/* nsswitch.conf's services line, less a `db` source that has no database. */
static void test_nss_line(void **state)
{
    (void)state;
    char out[64];
    const char *debian = "# /etc/nsswitch.conf\n#\npasswd:         files systemd\n"
                         "hosts:          files dns\nprotocols:      db files\n"
                         "services:       db files\nethers:         db files\n";
    assert_int_equal(services_nss_line(debian, false, out, sizeof(out)), 1);
    assert_string_equal(out, "files");
    /* With services.db there, or without a db source, the file's line stands. */
    assert_int_equal(services_nss_line(debian, true, out, sizeof(out)), 0);
    assert_string_equal(out, "");
    assert_int_equal(services_nss_line("services: files\n", false, out, sizeof(out)), 0);
    /* Other sources keep their order; comments and a missing final newline are fine. */
    assert_int_equal(
        services_nss_line("  services:\tsss db  files # local\n", false, out, sizeof(out)), 1);
    assert_string_equal(out, "sss files");
    assert_int_equal(services_nss_line("services: files db", false, out, sizeof(out)), 1);
    assert_string_equal(out, "files");
    /* Kept: an action item (skipping a source could change it), db alone (nothing left),
     * two services lines, a commented-out line, no line, a line longer than out. */
    assert_int_equal(
        services_nss_line("services: db [NOTFOUND=return] files\n", false, out, sizeof(out)), 0);
    assert_int_equal(services_nss_line("services: db\n", false, out, sizeof(out)), 0);
    assert_int_equal(
        services_nss_line("services: db files\nservices: files\n", false, out, sizeof(out)), 0);
    assert_int_equal(services_nss_line("#services: db files\n", false, out, sizeof(out)), 0);
    assert_int_equal(services_nss_line("hosts: files dns\n", false, out, sizeof(out)), 0);
    assert_int_equal(services_nss_line("", false, out, sizeof(out)), 0);
    assert_int_equal(services_nss_line("services: db files\n", false, out, 5), 0);
    assert_int_equal(services_nss_line("services: db files\n", false, out, 6), 1);
    assert_string_equal(out, "files");
    /* "dbx" is not "db", and "services:db" needs no space. */
    assert_int_equal(services_nss_line("services:db dbx files\n", false, out, sizeof(out)), 1);
    assert_string_equal(out, "dbx files");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class),
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_nss_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
