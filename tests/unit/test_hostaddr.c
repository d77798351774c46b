/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hostaddr: numeric hosts, malformed names, the hosts file (CARES_HOSTS), and names asked of
 * real servers the test starts on 127.0.0.1: a knotd serving the fixture zone (answers,
 * NXDOMAIN, NODATA, and REFUSED for a zone it does not serve), a UDP socket that never answers
 * (TIMEOUT) and a closed port (connection refused). Never the system resolver: resolv.conf is
 * one of the test's own, without a search list. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dns/hostaddr.h"

#define KNOTD "/usr/sbin/knotd"

/* The servers this test runs, as "127.0.0.1:PORT". */
static struct {
    char dir[64];        /* knotd's working directory (config, database, log) */
    pid_t knot;          /* knotd's process */
    char knot_srv[32];   /* where it answers */
    int silent_fd;       /* a bound UDP socket nobody reads: queries to it time out */
    char silent_srv[32]; /* its address */
    char closed_srv[32]; /* a UDP port nothing listens on: queries are refused at once */
} fx = {.knot = -1, .silent_fd = -1};

static int lookup_at(const char *server, const char *host, int family, int timeout_ms,
                     struct net_addr **a, size_t *n, char *err)
{
    struct hostaddr_req req = {host, 7, family, timeout_ms, server};
    return hostaddr_lookup(&req, a, n, err);
}

/* Names that never reach DNS: any server will do, so one that refuses at once. */
static int lookup(const char *host, int family, struct net_addr **a, size_t *n, char *err)
{
    return lookup_at(fx.closed_srv, host, family, 2000, a, n, err);
}

static const char *addr_str(const struct net_addr *a, char *buf)
{
    return net_ntop_port((const struct sockaddr *)&a->ss, buf, NET_ADDRSTRLEN);
}

/* A UDP socket on 127.0.0.1 with a port the kernel picked; its "ADDR:PORT" in srv. */
static int udp_socket(char srv[32])
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
        getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
        return -1;
    snprintf(srv, 32, "127.0.0.1:%u", ntohs(sin.sin_port));
    return fd;
}

/* Does a DNS server on port answer a query within 200 ms? (knotd prints no ready line: a
 * bounded number of these is how the test waits for it, as tests/e2e/knot.py does.) */
static bool answers(int port)
{
    static const unsigned char q[] = {0x12, 0x34, 0,   0,   0,   1,   0,   0,   0,   0,
                                      0,    0,    7,   'e', 'x', 'a', 'm', 'p', 'l', 'e',
                                      4,    't',  'e', 's', 't', 0,   0,   6,   0,   1};
    struct sockaddr_in sin = {.sin_family = AF_INET,
                              .sin_port = htons((uint16_t)port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    unsigned char buf[512];
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    bool ok = false;
    if (fd >= 0 && sendto(fd, q, sizeof(q), 0, (struct sockaddr *)&sin, sizeof(sin)) > 0) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        ok = poll(&p, 1, 200) == 1 && recv(fd, buf, sizeof(buf), 0) >= 12 && buf[0] == 0x12 &&
             buf[1] == 0x34;
    }
    if (fd >= 0)
        close(fd);
    return ok;
}

/* knotd serving example.test on a free port: 0, or -1 if it never answered. */
static int start_knot(const char *fixtures)
{
    for (int attempt = 0; attempt < 3; attempt++) { /* the port taken before knotd binds it */
        char srv[32], path[128];
        int fd = udp_socket(srv);
        if (fd < 0)
            return -1;
        close(fd);
        int port = atoi(strchr(srv, ':') + 1);
        snprintf(path, sizeof(path), "%s/knot.conf", fx.dir);
        FILE *f = fopen(path, "w");
        if (!f)
            return -1;
        fprintf(f,
                "server:\n    listen: 127.0.0.1@%d\n    rundir: \"%s\"\n"
                "    udp-workers: 1\n    tcp-workers: 1\n    background-workers: 1\n"
                "database:\n    storage: \"%s\"\n"
                "log:\n  - target: stderr\n    any: warning\n"
                "template:\n  - id: default\n    zonefile-sync: -1\n"
                "    zonefile-load: whole\n    journal-content: none\n"
                "zone:\n  - domain: example.test\n    file: \"%s/dns/example.test.zone\"\n",
                port, fx.dir, fx.dir, fixtures);
        fclose(f);
        fx.knot = fork();
        if (fx.knot == 0) {
            char log[128];
            snprintf(log, sizeof(log), "%s/knotd.log", fx.dir);
            int lfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
            int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (lfd < 0 || nul < 0 || dup2(nul, 0) < 0 || dup2(lfd, 1) < 0 || dup2(lfd, 2) < 0)
                _exit(127);
            execl(KNOTD, KNOTD, "-c", path, (char *)NULL);
            _exit(127);
        }
        if (fx.knot < 0)
            return -1;
        for (int i = 0; i < 100; i++) {
            if (waitpid(fx.knot, NULL, WNOHANG) == fx.knot)
                break; /* exited: try another port */
            if (answers(port)) {
                snprintf(fx.knot_srv, sizeof(fx.knot_srv), "%s", srv);
                return 0;
            }
        }
        if (kill(fx.knot, SIGTERM) == 0)
            waitpid(fx.knot, NULL, 0);
        fx.knot = -1;
    }
    return -1;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    (void)state;
    const char *fixtures = getenv("NETKIT_FIXTURES");
    char path[512];
    if (!fixtures)
        fixtures = "tests/fixtures";
    snprintf(path, sizeof(path), "%s/hosts", fixtures);
    setenv("CARES_HOSTS", path, 1);
    unsetenv("LOCALDOMAIN");
    unsetenv("RES_OPTIONS");
    snprintf(fx.dir, sizeof(fx.dir), "/tmp/nk-hostaddr-XXXXXX");
    if (!mkdtemp(fx.dir))
        return -1;
    /* No search list (it would send the names elsewhere) and a loopback nameserver. */
    snprintf(path, sizeof(path), "%s/resolv.conf", fx.dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("nameserver 127.0.0.1\n", f);
    fclose(f);
    setenv("NETKIT_RESOLV_CONF", path, 1);
    int fd = udp_socket(fx.closed_srv);
    if (fd < 0)
        return -1;
    close(fd);
    if ((fx.silent_fd = udp_socket(fx.silent_srv)) < 0)
        return -1;
    if (start_knot(fixtures) < 0) {
        fprintf(stderr, "knotd did not answer (log in %s)\n", fx.dir);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (fx.knot > 0 && kill(fx.knot, SIGTERM) == 0)
        waitpid(fx.knot, NULL, 0);
    if (fx.silent_fd >= 0)
        close(fx.silent_fd);
    nftw(fx.dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static void numeric(void **state)
{
    struct net_addr *a;
    size_t n;
    char err[NK_ERRLEN], buf[NET_ADDRSTRLEN];
    (void)state;
    assert_int_equal(lookup("192.0.2.1", AF_UNSPEC, &a, &n, err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(addr_str(&a[0], buf), "192.0.2.1:7");
    free(a);
    assert_int_equal(lookup("[2001:db8::1]", AF_UNSPEC, &a, &n, err), 0);
    assert_string_equal(addr_str(&a[0], buf), "[2001:db8::1]:7");
    free(a);
    assert_int_equal(lookup("::1", AF_INET, &a, &n, err), -1);
    assert_null(a);
    assert_string_equal(err, "::1: not an address of the family asked for");
}

/* Each malformed host says what is wrong with it, as `resolve` does. */
static void malformed(void **state)
{
    static const struct {
        const char *host; /* the argument */
        const char *err;  /* the whole message */
    } cases[] = {
        {"", "'': empty name"},
        {"a..b", "'a..b': empty label"},
        {".a", "'.a': empty label"},
        {"has space", "'has space': invalid character in name"},
        {"a/b", "'a/b': invalid character in name"},
        {"[::1", "'[::1': not an IP address"},
        {"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.test",
         "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...': label longer than "
         "63 bytes"},
    };
    struct net_addr *a;
    size_t n;
    char err[NK_ERRLEN];
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(lookup(cases[i].host, AF_UNSPEC, &a, &n, err), -2);
        assert_null(a);
        assert_string_equal(err, cases[i].err);
    }
}

static void hosts_file(void **state)
{
    struct net_addr *a;
    size_t n;
    char err[NK_ERRLEN], buf[NET_ADDRSTRLEN];
    (void)state;
    assert_int_equal(lookup("echo.netkit.test", AF_INET, &a, &n, err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(addr_str(&a[0], buf), "127.0.0.5:7");
    free(a);
    assert_int_equal(lookup("v6only.netkit.test", AF_INET6, &a, &n, err), 0);
    assert_string_equal(addr_str(&a[0], buf), "[::1]:7");
    free(a);
}

static void localhost_is_loopback(void **state)
{
    struct net_addr *a;
    size_t n;
    char err[NK_ERRLEN], buf[NET_ADDRSTRLEN];
    (void)state;
    assert_int_equal(lookup("localhost", AF_UNSPEC, &a, &n, err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(addr_str(&a[0], buf), "[::1]:7");
    assert_string_equal(addr_str(&a[1], buf), "127.0.0.1:7");
    free(a);
    assert_int_equal(lookup("db.LOCALHOST.", AF_INET, &a, &n, err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(addr_str(&a[0], buf), "127.0.0.1:7");
    free(a);
}

/* Answers from DNS: IPv6 first, the family asked for only, through a CNAME chain. */
static void dns_answers(void **state)
{
    struct net_addr *a;
    size_t n;
    char err[NK_ERRLEN], buf[NET_ADDRSTRLEN];
    (void)state;
    assert_int_equal(lookup_at(fx.knot_srv, "www.example.test", AF_UNSPEC, 2000, &a, &n, err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(addr_str(&a[0], buf), "[2001:db8::10]:7");
    assert_string_equal(addr_str(&a[1], buf), "192.0.2.10:7");
    free(a);
    assert_int_equal(lookup_at(fx.knot_srv, "alias.example.test", AF_INET, 2000, &a, &n, err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(addr_str(&a[0], buf), "192.0.2.10:7");
    free(a);
    assert_int_equal(lookup_at(fx.knot_srv, "v6only.example.test", AF_UNSPEC, 2000, &a, &n, err),
                     0);
    assert_int_equal(n, 1);
    assert_string_equal(addr_str(&a[0], buf), "[2001:db8::60]:7");
    free(a);
}

/* Each way a lookup can fail has its own words, the same `resolve` uses. */
static void failures(void **state)
{
    const struct {
        const char *server; /* asked */
        const char *host;   /* the name */
        int family;         /* -4 / -6 */
        const char *err;    /* the whole message */
    } cases[] = {
        {fx.knot_srv, "nope.example.test", AF_UNSPEC, "nope.example.test: no such name (NXDOMAIN)"},
        {fx.knot_srv, "textonly.example.test", AF_UNSPEC,
         "textonly.example.test: no address (NODATA)"},
        {fx.knot_srv, "v6only.example.test", AF_INET, "v6only.example.test: no address (NODATA)"},
        /* knotd refuses names outside the zones it serves */
        {fx.knot_srv, "elsewhere.invalid", AF_UNSPEC, "elsewhere.invalid: query refused (REFUSED)"},
        {fx.silent_srv, "www.example.test", AF_UNSPEC,
         "www.example.test: no answer in time (TIMEOUT)"},
        {fx.closed_srv, "www.example.test", AF_UNSPEC, "www.example.test: connection refused"},
        {"127.0.0.1:0", "www.example.test", AF_UNSPEC,
         "server: 127.0.0.1:0: port out of range (1-65535)"},
    };
    struct net_addr *a;
    size_t n;
    char err[NK_ERRLEN];
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        err[0] = '\0';
        assert_int_equal(
            lookup_at(cases[i].server, cases[i].host, cases[i].family, 800, &a, &n, err), -1);
        assert_null(a);
        assert_int_equal(n, 0);
        assert_string_equal(err, cases[i].err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numeric),     cmocka_unit_test(malformed),
        cmocka_unit_test(hosts_file),  cmocka_unit_test(localhost_is_loopback),
        cmocka_unit_test(dns_answers), cmocka_unit_test(failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
