/* SPDX-License-Identifier: GPL-3.0-or-later */
/* runmany.c - time whole processes: run each command N times, interleaved (cmd1, cmd2, ...,
 * cmd1, ...) so drift on a busy machine hits all alike, stdout to /dev/null. Prints one line per
 * command: median, p90 and min wall time in microseconds, and the peak RSS in KiB (ru_maxrss
 * from wait4, the figure /usr/bin/time -f %M reports).
 *
 *   runmany N WARMUP -- cmd1 args -- cmd2 args ...
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAXCMDS 8

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Run argv once; returns wall microseconds, the child's maxrss in *rss. */
static double once(char **argv, posix_spawn_file_actions_t *fa, long *rss)
{
    struct timespec t0, t1;
    pid_t pid;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (posix_spawnp(&pid, argv[0], fa, NULL, argv, environ) != 0) {
        perror(argv[0]);
        exit(1);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0) {
        perror("wait4");
        exit(1);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "runmany: %s failed (status %d)\n", argv[0], st);
        exit(1);
    }
    *rss = ru.ru_maxrss;
    return (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
}

int main(int argc, char **argv)
{
    if (argc < 5 || strcmp(argv[3], "--") != 0) {
        fprintf(stderr, "usage: runmany N WARMUP -- cmd args [-- cmd args]...\n");
        return 2;
    }
    int n = atoi(argv[1]), warm = atoi(argv[2]), ncmd = 0;
    if (n < 1 || n > 100000 || warm < 0)
        return 2;
    char **cmds[MAXCMDS];
    for (int i = 3; i < argc && ncmd < MAXCMDS; i++)
        if (strcmp(argv[i], "--") == 0) {
            argv[i] = NULL;
            if (i + 1 < argc)
                cmds[ncmd++] = &argv[i + 1];
        }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    double *t[MAXCMDS];
    long rss[MAXCMDS] = {0}, r;
    for (int c = 0; c < ncmd; c++) {
        t[c] = calloc((size_t)n, sizeof(double));
        for (int w = 0; w < warm; w++)
            once(cmds[c], &fa, &r);
    }
    for (int i = 0; i < n; i++)
        for (int c = 0; c < ncmd; c++) {
            t[c][i] = once(cmds[c], &fa, &r);
            if (r > rss[c])
                rss[c] = r;
        }
    for (int c = 0; c < ncmd; c++) {
        qsort(t[c], (size_t)n, sizeof(double), cmp);
        printf("%.1f %.1f %.1f %ld\n", t[c][n / 2], t[c][(n * 9) / 10], t[c][0], rss[c]);
    }
    return 0;
}
