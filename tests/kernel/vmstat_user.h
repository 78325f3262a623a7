/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The test programs' reading of /proc/vmstat counters (the kernel's pin
 * counts, nr_foll_pin_acquired/released), made exact first.
 */
#ifndef _VMSTAT_USER_H
#define _VMSTAT_USER_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * A value of /proc/vmstat, exact (the CPUs' pending deltas folded in
 * through vm.stat_refresh), or -1 when the kernel has no such counter or
 * it cannot be made exact.
 */
static inline long vmstat(const char *name)
{
	char key[64];
	long v, found = -1;
	int r = open("/proc/sys/vm/stat_refresh", O_WRONLY);
	FILE *f = r >= 0 && write(r, "1", 1) == 1 ? fopen("/proc/vmstat", "r") :
						    NULL;

	while (f && fscanf(f, "%63s %ld", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	if (f)
		fclose(f);
	if (r >= 0)
		close(r);
	return found;
}

#endif /* _VMSTAT_USER_H */
