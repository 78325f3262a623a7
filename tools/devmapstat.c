// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * devmapstat: what devmap does, like vmstat.
 *
 *   devmapstat [interval [count]]     rates per driver instance
 *   devmapstat -p [interval [count]]  who owns each device context
 *   devmapstat -t [count]             one line per context switch
 *
 * The rates and the owner table come from the counter files devmap.ko
 * keeps in debugfs, /sys/kernel/debug/devmap/<driver><instance> ("key
 * value" lines, then "ctx <n> owner <pid> for_ms <ms>" lines; see
 * docs/drivers.md); -t enables the devmap:devmap_ctx_switch tracepoint in
 * a tracefs instance of its own, reads its trace_pipe and removes it on
 * exit (SIGINT, SIGTERM or after count lines).
 *
 * Exit codes: 0 fine; 1 usage or I/O error; 2 devmap.ko not loaded;
 * 3 no device instance; 4 permission denied (debugfs and tracefs are
 * root's); 5 debugfs or tracefs not mounted.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEBUGFS "/sys/kernel/debug"
#define STATS_DIR DEBUGFS "/devmap"
#define MAX_INST 64
#define MAX_CTX 16
#define NAME_MAX_LEN 64

enum { EX_OK, EX_USAGE, EX_NOMOD, EX_NODEV, EX_PERM, EX_NOFS };

/* The counters of one instance, as its file gives them. */
struct inst {
	char name[NAME_MAX_LEN];
	unsigned long long faults, calls, switches, waits, wait_us;
	unsigned long long sigbus, sigsegv, loads, unloads;
	int nctx;
	struct {
		unsigned long num, for_ms;
		long owner;
	} ctx[MAX_CTX];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int fail(int code, const char *fmt, const char *arg)
{
	fprintf(stderr, "devmapstat: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return code;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int not_loaded(void)
{
	return fail(EX_NOMOD, "devmap is not loaded (%s)", "modprobe devmap");
}

/* Why the counter folder cannot be read: an exit code and a message. */
static int why_no_stats(int err)
{
	if (!exists("/sys/module/devmap"))
		return not_loaded();
	if (err == EACCES || err == EPERM)
		return fail(EX_PERM,
			    "permission denied reading %s: run as root",
			    STATS_DIR);
	return fail(
		EX_NOFS,
		"%s is missing: is debugfs mounted? (mount -t debugfs none /sys/kernel/debug)",
		STATS_DIR);
}

static void parse_line(struct inst *in, const char *line)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
#define K(f) { #f, offsetof(struct inst, f) }
		K(faults),
		K(switches),
		K(waits),
		K(wait_us),
		K(sigbus),
		K(sigsegv),
		K(loads),
		K(unloads),
#undef K
		{ "driver_calls", offsetof(struct inst, calls) },
	};
	char key[32];
	unsigned long long v;

	if (in->nctx < MAX_CTX &&
	    sscanf(line, "ctx %lu owner %ld for_ms %lu", &in->ctx[in->nctx].num,
		   &in->ctx[in->nctx].owner, &in->ctx[in->nctx].for_ms) == 3) {
		in->nctx++;
		return;
	}
	if (sscanf(line, "%31s %llu", key, &v) != 2)
		return;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i].key))
			*(unsigned long long *)((char *)in + keys[i].off) = v;
}

/* Read every instance's file; returns their count or a negative exit. */
static int read_all(struct inst *insts)
{
	DIR *d = opendir(STATS_DIR);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -why_no_stats(errno);
	while ((de = readdir(d)) && n < MAX_INST) {
		char path[sizeof(STATS_DIR) + NAME_MAX_LEN + 2], line[256];
		FILE *f;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= NAME_MAX_LEN)
			continue;
		snprintf(path, sizeof(path), "%s/%s", STATS_DIR, de->d_name);
		f = fopen(path, "r");
		if (!f) {
			int err = errno;

			closedir(d);
			return -why_no_stats(err);
		}
		memset(&insts[n], 0, sizeof(insts[n]));
		strcpy(insts[n].name, de->d_name);
		while (fgets(line, sizeof(line), f))
			parse_line(&insts[n], line);
		fclose(f);
		n++;
	}
	closedir(d);
	if (n == 0)
		return -fail(EX_NODEV, "no devmap device instances (%s)",
			     "no driver has attached a device");
	return n;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static const struct inst *find(const struct inst *v, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

/* Rates between two samples, @dt seconds apart. */
static void print_rates(const struct inst *prev, int np, const struct inst *cur,
			int nc, double dt)
{
	printf("%-12s %10s %10s %10s %10s %10s %10s %10s %10s\n", "instance",
	       "faults/s", "calls/s", "switches/s", "waits/s", "wait_ms/s",
	       "signals/s", "loads/s", "unloads/s");
	for (int i = 0; i < nc; i++) {
		const struct inst *c = &cur[i], *p = find(prev, np, c->name);

		if (!p)
			continue; /* new since the last sample */
#define R(f) ((double)(c->f - p->f) / dt)
		printf("%-12s %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f\n",
		       c->name, R(faults), R(calls), R(switches), R(waits),
		       R(wait_us) / 1000.0, R(sigbus) + R(sigsegv), R(loads),
		       R(unloads));
#undef R
	}
	fflush(stdout);
}

static void print_owners(const struct inst *v, int n)
{
	printf("%-12s %5s %8s %-16s %10s\n", "instance", "ctx", "pid",
	       "command", "owned_ms");
	for (int i = 0; i < n; i++)
		for (int k = 0; k < v[i].nctx; k++) {
			char path[64], comm[32] = "-";
			FILE *f;

			snprintf(path, sizeof(path), "/proc/%ld/comm",
				 v[i].ctx[k].owner);
			f = v[i].ctx[k].owner ? fopen(path, "r") : NULL;
			if (f) {
				if (fgets(comm, sizeof(comm), f))
					comm[strcspn(comm, "\n")] = '\0';
				fclose(f);
			}
			printf("%-12s %5lu %8ld %-16s %10lu\n", v[i].name,
			       v[i].ctx[k].num, v[i].ctx[k].owner, comm,
			       v[i].ctx[k].for_ms);
		}
	fflush(stdout);
}

/* Default and -p: report every @interval seconds, @count times (0: ever). */
static int sample_loop(bool owners, int interval, long count)
{
	static struct inst a[MAX_INST], b[MAX_INST];
	struct inst *prev = a, *cur = b, *t;
	int np, nc;
	double t0, t1;

	np = read_all(prev);
	if (np < 0)
		return -np;
	t0 = now();
	if (owners) {
		print_owners(prev, np);
		if (--count == 0 || !interval)
			return EX_OK;
	}
	for (; !stop; count--) {
		sleep((unsigned int)interval);
		if (stop)
			break;
		nc = read_all(cur);
		if (nc < 0)
			return -nc;
		t1 = now();
		if (owners)
			print_owners(cur, nc);
		else
			print_rates(prev, np, cur, nc, t1 - t0);
		if (count == 1)
			break;
		t = prev, prev = cur, cur = t;
		np = nc;
		t0 = t1;
	}
	return EX_OK;
}

static int write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int ok = f && fputs(s, f) >= 0;

	if (f && fclose(f))
		ok = 0;
	return ok ? 0 : -1;
}

/* Print the switch of a trace_pipe line, "<ts>: devmap_ctx_switch: <rest>". */
static bool print_switch(char *line)
{
	static const char tag[] = ": devmap_ctx_switch: ";
	char *at = strstr(line, tag), *ts = at;

	if (!at)
		return false;
	*at = '\0'; /* the timestamp is the last word before the tag */
	while (ts > line && ts[-1] != ' ')
		ts--;
	printf("%-16s %s", ts, at + strlen(tag));
	fflush(stdout);
	return true;
}

/*
 * -t: the switch tracepoint, line by line, @count lines (0: until a
 * signal), in a tracefs instance of its own (a ring buffer no other
 * tracer sees or disturbs), removed on exit.
 */
static int trace_switches(long count)
{
	const char *roots[] = { "/sys/kernel/tracing", DEBUGFS "/tracing" };
	char inst[96], enable[160], pipe[128], line[512];
	const char *root = NULL;
	int ret = EX_OK;
	FILE *f;

	if (!exists("/sys/module/devmap"))
		return not_loaded();
	for (size_t i = 0; i < 2 && !root; i++) {
		snprintf(inst, sizeof(inst), "%s/instances", roots[i]);
		if (exists(inst))
			root = roots[i];
		else if (errno == EACCES)
			return fail(EX_PERM,
				    "permission denied reading %s: run as root",
				    roots[i]);
	}
	if (!root)
		return fail(EX_NOFS, "tracefs is not mounted (%s)",
			    "mount -t tracefs none /sys/kernel/tracing");
	snprintf(inst, sizeof(inst), "%s/instances/devmapstat.%d", root,
		 (int)getpid());
	if (mkdir(inst, 0700))
		return errno == EACCES || errno == EPERM ?
			       fail(EX_PERM,
				    "permission denied writing %s: run as root",
				    root) :
			       fail(EX_USAGE, "cannot make %s", inst);
	/* pids are all it prints: no command-name recording, which would
	 * hook every context switch of the machine (sched_switch) */
	snprintf(enable, sizeof(enable), "%s/options/record-cmd", inst);
	write_file(enable, "0");
	snprintf(enable, sizeof(enable),
		 "%s/events/devmap/devmap_ctx_switch/enable", inst);
	snprintf(pipe, sizeof(pipe), "%s/trace_pipe", inst);
	if (write_file(enable, "1")) {
		ret = fail(EX_NOFS, "%s: no devmap tracepoints", root);
	} else if (!(f = fopen(pipe, "r"))) {
		ret = fail(EX_USAGE, "cannot open %s", pipe);
	} else {
		printf("%-16s %s\n", "time", "switch");
		fflush(stdout);
		while (!stop && fgets(line, sizeof(line), f))
			if (print_switch(line) && count && --count == 0)
				break;
		fclose(f);
	}
	write_file(enable, "0");
	rmdir(inst);
	return ret;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: devmapstat [interval [count]]   rates per driver instance\n"
		"       devmapstat -p [interval [count]] context owners\n"
		"       devmapstat -t [count]            one line per context switch\n");
	return EX_USAGE;
}

/* A positive number argument, or -1. */
static long number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s && !*end && v > 0 ? v : -1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	char mode = 0;
	long n1 = 0, n2 = 0;
	int i = 1;

	if (i < argc && (!strcmp(argv[i], "-p") || !strcmp(argv[i], "-t")))
		mode = argv[i++][1];
	if (argc - i > (mode == 't' ? 1 : 2))
		return usage();
	if (i < argc && (n1 = number(argv[i++])) < 0)
		return usage();
	if (i < argc && (n2 = number(argv[i++])) < 0)
		return usage();
	sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: reads end */
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mode == 't')
		return trace_switches(n1);
	if (mode == 'p')
		return sample_loop(true, (int)n1, n2);
	return sample_loop(false, n1 ? (int)n1 : 1, n2);
}
