/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What the test programs of the dmtest driver share: opening its device,
 * asking it whether a process has a valid translation (a present page
 * table entry) at an address, and whether a task sleeps in devmap's wait
 * for a held context.
 */
#ifndef _DMTEST_USER_H
#define _DMTEST_USER_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "dmtest.h"
#include "present_user.h"

#define DEV "/dev/dmtest0"

static inline int dev_open(void)
{
	int fd = open(DEV, O_RDWR);

	if (fd < 0) {
		perror(DEV);
		exit(2);
	}
	return fd;
}

/*
 * Has process @pid a valid translation at @va?  DMT_PRESENT_PAGE or
 * DMT_PRESENT_HUGE, 0 for none, -1 when the driver cannot tell.
 */
static inline int present(pid_t pid, const void *va)
{
	int fd = dev_open();
	int kind = present_ask(fd, DMT_PRESENT, pid, va);

	close(fd);
	return kind;
}

/*
 * Is the task whose wchan file is @path (/proc/PID/wchan, or a thread's
 * /proc/self/task/TID/wchan) asleep in devmap's wait for a held context?
 * The file names the function it sleeps in; polled for at most 20 s (a
 * bound on a failure, not a timing assertion).  Says which task never
 * waited.
 */
static inline int ctx_waits(const char *path)
{
	char w[64] = "";

	for (int i = 0; i < 2000; i++) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(w, 1, sizeof(w) - 1, f) : 0;

		if (f)
			fclose(f);
		w[n] = 0;
		if (strstr(w, "dmh_cond_wait"))
			return 1;
		usleep(10000);
	}
	printf("#   %s never waited for the context (wchan %s)\n", path, w);
	return 0;
}

#endif /* _DMTEST_USER_H */
