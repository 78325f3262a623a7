// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * What devmap shows of a ping-pong, in the guest, on dmtest's one-page
 * context (/dev/dmtest0, page 0): two processes take turns writing it, so
 * every turn is one fault, one devmap_access and one context switch.
 *
 *   trace_user counters   the counter file's deltas match the turns exactly
 *   trace_user trace      the tracepoints fire with the right fields
 *   trace_user hold       a held context: one wait, counted and traced
 *   trace_user rates      devmapstat 2 1 reports the paced switch rate
 *   trace_user owner      devmapstat -p names the owning process
 *   trace_user switches   devmapstat -t prints one line per switch
 *   trace_user denied     devmapstat as nobody: exit 4, permission denied
 *
 * Each prints "# " diagnostics and exits 0 when everything holds.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dmtest.h"
#include "futex_turn.h"

#define DEV "/dev/dmtest0"
#define STATS "/sys/kernel/debug/devmap/dmtest0"
#define TRACING "/sys/kernel/tracing"
#define DEVMAPSTAT "/opt/devmapstat"

static int failures;

static void check(int cond, const char *what)
{
	printf("# %s: %s\n", cond ? "ok" : "FAILED", what);
	failures += !cond;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* A counter of dmtest0's file. */
static long long stat_get(const char *key)
{
	FILE *f = fopen(STATS, "r");
	char line[256], k[64];
	long long v, found = -1;

	if (!f)
		die(STATS);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", k, &v) == 2 && !strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		die(path);
	close(fd);
}

/* The shared page of a ping-pong: whose turn, how many left, ready. */
struct game {
	volatile int turn;
	volatile int left;
	volatile int ready;
};

/*
 * Two processes map page 0 and take @turns turns in all (A first), each
 * writing the context page, @pace_us apart.  Returns when both have
 * mapped; pids[] gets theirs.  pingpong_end() waits for them.
 */
static struct game *pingpong_start(int turns, int pace_us, pid_t pids[2])
{
	struct game *g = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (g == MAP_FAILED)
		die("mmap");
	g->left = turns;
	for (int me = 0; me < 2; me++) {
		pids[me] = fork();
		if (pids[me])
			continue;
		int fd = open(DEV, O_RDWR);
		volatile unsigned int *ctx = mmap(NULL, DMT_PAGE,
						  PROT_READ | PROT_WRITE,
						  MAP_SHARED, fd, 0);

		if (fd < 0 || ctx == MAP_FAILED)
			die(DEV);
		__atomic_add_fetch(&g->ready, 1, __ATOMIC_SEQ_CST);
		for (;;) {
			futex_wait(&g->turn, !me);
			if (g->left <= 0)
				break;
			ctx[0] = (unsigned int)
					 g->left; /* a store: a write fault */
			g->left--;
			if (pace_us)
				usleep((useconds_t)pace_us);
			g->turn = !me;
			futex_wake(&g->turn);
		}
		g->turn = !me; /* let the other see the end */
		futex_wake(&g->turn);
		_exit(0);
	}
	while (g->ready < 2)
		usleep(1000);
	return g;
}

static void pingpong_end(struct game *g, pid_t pids[2])
{
	for (int i = 0; i < 2; i++)
		waitpid(pids[i], NULL, 0);
	munmap(g, 4096);
}

static void pingpong(int turns, int pace_us, pid_t pids[2])
{
	pingpong_end(pingpong_start(turns, pace_us, pids), pids);
}

static const char *const keys[] = { "maps",	"unmaps",	"faults",
				    "switches", "driver_calls", "loads",
				    "unloads",	"waits",	"sigbus",
				    "sigsegv" };
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static void snapshot(long long *v)
{
	for (size_t i = 0; i < NKEYS; i++)
		v[i] = stat_get(keys[i]);
}

static int counters(void)
{
	long long before[NKEYS], after[NKEYS], d[NKEYS];
	const int turns = 20;
	pid_t pids[2];

	snapshot(before);
	pingpong(turns, 0, pids);
	snapshot(after);
	for (size_t i = 0; i < NKEYS; i++) {
		d[i] = after[i] - before[i];
		printf("# %s +%lld\n", keys[i], d[i]);
	}
	check(d[0] == 2 && d[1] == 2, "2 maps and 2 unmaps");
	check(d[2] == turns, "faults: one per turn");
	check(d[3] == turns, "switches: one per turn");
	check(d[4] == turns, "driver calls: one devmap_access per turn");
	check(d[5] == turns, "loads: one devmap_load per switch");
	check(d[6] >= turns - 1 && d[6] <= turns,
	      "unloads: the previous owner's page per switch");
	check(d[7] == 0 && d[8] == 0 && d[9] == 0, "no wait, no signal");
	return failures ? 1 : 0;
}

/* The lines of the trace buffer holding "devmap_<event>:". */
static int trace_lines(const char *event, char lines[][256], int max)
{
	FILE *f = fopen(TRACING "/trace", "r");
	char line[256], tag[64];
	int n = 0;

	if (!f)
		die(TRACING "/trace");
	snprintf(tag, sizeof(tag), " %s: ", event);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, tag) && n < max)
			strcpy(lines[n++], strstr(line, tag) + strlen(tag));
	fclose(f);
	return n;
}

/*
 * No command-name recording: it would hook sched_switch, patching the
 * scheduler's text while other CPUs run it, which QEMU's TCG has been seen
 * to turn into an int3 oops; the lines carry pids anyway.
 */
static void trace_on(void)
{
	write_file(TRACING "/options/record-cmd", "0");
	write_file(TRACING "/events/devmap/enable", "0");
	write_file(TRACING "/trace", "");
	write_file(TRACING "/events/devmap/enable", "1");
}

static int trace(void)
{
	static char l[64][256];
	const int turns = 6;
	int n, bad = 0;
	pid_t pids[2];

	trace_on();
	pingpong(turns, 0, pids);
	write_file(TRACING "/events/devmap/enable", "0");
	printf("# pids %d %d\n", pids[0], pids[1]);

	n = trace_lines("devmap_map", l, 64);
	for (int i = 0; i < n; i++)
		bad += !strstr(l[i], "dmtest0 pid=") ||
		       !strstr(l[i], "off=0x0 len=0x1000 handles=1");
	check(n == 2 && !bad,
	      "devmap_map: twice, dmtest0, offset, length, handles");

	n = trace_lines("devmap_ctx_switch", l, 64);
	bad = 0;
	for (int i = 0; i < n; i++) {
		int prev, next;
		unsigned long ctx, pages;
		pid_t want_next = pids[i % 2],
		      want_prev = i ? pids[(i + 1) % 2] : 0;

		printf("# %s", l[i]);
		bad += sscanf(l[i],
			      "dmtest0 ctx=%lu prev=%d next=%d unloaded=%lu",
			      &ctx, &prev, &next, &pages) != 4 ||
		       next != want_next || prev != want_prev ||
		       pages != (i ? 1u : 0u) || ctx == 0;
	}
	check(n == turns && !bad,
	      "devmap_ctx_switch: one per turn, previous -> new owner pid, 1 page unloaded");

	n = trace_lines("devmap_fault", l, 64);
	bad = 0;
	for (int i = 0; i < n; i++) {
		char want[64];

		snprintf(want, sizeof(want), "dmtest0 pid=%d ", pids[i % 2]);
		bad += !strstr(l[i], want) ||
		       !strstr(l[i],
			       "off=0x0 rw=write outcome=loaded fc=0x0 calls=1");
	}
	check(n == turns && !bad,
	      "devmap_fault: one per turn, the turn's pid, write, loaded, one driver call");

	n = trace_lines("devmap_load", l, 64);
	bad = 0;
	for (int i = 0; i < n; i++)
		bad += !strstr(l[i], "off=0x0 len=0x1000 in_fault=1 fc=0x0");
	check(n == turns && !bad,
	      "devmap_load: one per switch, inside the fault");

	n = trace_lines("devmap_unload", l, 64);
	bad = 0;
	for (int i = 0; i < n; i++)
		bad += !strstr(l[i], "in_fault=1");
	check(n >= turns - 1 && !bad,
	      "devmap_unload: the previous owner's page, inside the fault");

	n = trace_lines("devmap_unmap", l, 64);
	check(n == 2, "devmap_unmap: both exits");
	return failures ? 1 : 0;
}

static int hold(void)
{
	static char l[8][256];
	long long waits = stat_get("waits"), us = stat_get("wait_us");
	int fd = open(DEV, O_RDWR), n;
	unsigned int wus = 0;
	pid_t pids[2];

	if (fd < 0)
		die(DEV);
	ioctl(fd, DMT_SET_HOLD, 100L); /* ticks: 0.4 s at HZ 250 */
	trace_on();
	pingpong(2, 0, pids);
	write_file(TRACING "/events/devmap/enable", "0");
	ioctl(fd, DMT_SET_HOLD, 0L);
	close(fd);
	waits = stat_get("waits") - waits;
	us = stat_get("wait_us") - us;
	printf("# waits +%lld, wait_us +%lld\n", waits, us);
	check(waits == 1 && us > 0,
	      "a held context: one wait, its time counted");
	n = trace_lines("devmap_ctx_wait", l, 8);
	if (n) {
		const char *w = strstr(l[0], "wait_us=");

		printf("# %s", l[0]);
		if (!w || sscanf(w, "wait_us=%u", &wus) != 1)
			wus = 0;
	}
	check(n == 1 && wus > 0 && (long long)wus == us,
	      "devmap_ctx_wait: B's wait, in microseconds, as counted");
	return failures ? 1 : 0;
}

/*
 * Run devmapstat with @argv (as user @uid unless 0), its output into @out,
 * calling @during meanwhile; returns its exit code.
 */
static int run_devmapstat(char *const argv[], char *out, size_t len,
			  void (*during)(void), uid_t uid)
{
	int p[2], status;
	size_t got = 0;
	ssize_t r;
	pid_t pid;

	if (pipe(p))
		die("pipe");
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		if (uid && (setgid(uid) || setuid(uid)))
			_exit(126);
		alarm(60); /* kept across exec: never hang the suite */
		execv(DEVMAPSTAT, argv);
		_exit(127);
	}
	close(p[1]);
	if (during)
		during();
	while (got + 1 < len && (r = read(p[0], out + got, len - 1 - got)) > 0)
		got += (size_t)r;
	out[got] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	printf("%s", out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* About 25 switches a second for 3 seconds. */
static void paced_pingpong(void)
{
	pid_t pids[2];

	pingpong(75, 40000, pids);
}

/* The value of column @col (0: instance) of dmtest0's line in @out. */
static double column(const char *out, int col)
{
	const char *line = strstr(out, "\ndmtest0 ");
	double v[9];

	if (!line ||
	    sscanf(line + 9, "%lf %lf %lf %lf %lf %lf %lf %lf", &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]) != 8)
		return -1;
	return v[col];
}

static int rates(void)
{
	char *argv[] = { "devmapstat", "2", "1", NULL };
	char out[4096];
	double sw, faults;
	int rc = run_devmapstat(argv, out, sizeof(out), paced_pingpong, 0);

	faults = column(out, 1);
	sw = column(out, 3);
	check(rc == 0, "devmapstat 2 1 exits 0");
	/* 25/s asked; the pacing sleeps, so less, never more */
	check(sw >= 8 && sw <= 27, "switches/s about the paced 25/s");
	check(faults >= sw - 1 && faults <= sw + 1, "faults/s: one per switch");
	check(column(out, 6) == 0, "signals/s 0");
	return failures ? 1 : 0;
}

static int owner(void)
{
	char *argv[] = { "devmapstat", "-p", NULL };
	char out[4096], want[64];
	int fd = open(DEV, O_RDWR), rc;
	volatile unsigned int *ctx;
	unsigned long ms = 0;
	const char *line;

	ctx = mmap(NULL, DMT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fd < 0 || ctx == MAP_FAILED)
		die(DEV);
	ctx[0] += 1; /* the owner now */
	usleep(300000);
	rc = run_devmapstat(argv, out, sizeof(out), NULL, 0);
	snprintf(want, sizeof(want), " %d trace_user ", getpid());
	line = strstr(out, want);
	check(rc == 0 && line, "devmapstat -p names this process as owner");
	check(line && sscanf(line + strlen(want), "%lu", &ms) == 1 &&
		      ms >= 250 && ms < 60000,
	      "... owned for about the 300 ms it slept");
	munmap((void *)ctx, DMT_PAGE);
	close(fd);
	return failures ? 1 : 0;
}

static pid_t turn_pids[2];

static void four_turns(void)
{
	usleep(300000); /* devmapstat -t has enabled the tracepoint */
	pingpong(4, 0, turn_pids);
	printf("# pids %d %d\n", turn_pids[0], turn_pids[1]);
}

static int switches(void)
{
	char *argv[] = { "devmapstat", "-t", "4", NULL };
	char out[4096];
	int rc = run_devmapstat(argv, out, sizeof(out), four_turns, 0);
	int n = 0, bad = 0, prev, next;
	const char *p = out;

	while ((p = strstr(p, " dmtest0 ctx="))) {
		p = strstr(p, " prev=");
		if (!p || sscanf(p, " prev=%d next=%d", &prev, &next) != 2)
			break;
		bad += next != turn_pids[n % 2] ||
		       prev != (n ? turn_pids[(n + 1) % 2] : 0);
		n++;
	}
	check(rc == 0 && n == 4 && !bad,
	      "devmapstat -t 4: the four switches of the ping-pong, A first, from nobody");
	return failures ? 1 : 0;
}

static int denied(void)
{
	char *argv[] = { "devmapstat", "1", "1", NULL };
	char out[4096];
	int rc = run_devmapstat(argv, out, sizeof(out), NULL, 65534);

	check(rc == 4 && strstr(out, "permission denied"),
	      "devmapstat as nobody: exit 4, permission denied");
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} cmds[] = { { "counters", counters }, { "trace", trace },
		     { "hold", hold },	       { "rates", rates },
		     { "owner", owner },       { "switches", switches },
		     { "denied", denied } };

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; argc == 2 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn();
	fprintf(stderr,
		"usage: trace_user counters|trace|hold|rates|owner|switches|denied\n");
	return 2;
}
