/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What the test programs of the dmtest driver share: opening its device
 * and asking it whether a process has a valid translation (a present page
 * table entry) at an address.
 */
#ifndef _DMTEST_USER_H
#define _DMTEST_USER_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "dmtest.h"

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

/* Has process @pid a valid translation at @va?  (Asked of the driver.) */
static inline int present(pid_t pid, const void *va)
{
	struct dmt_present pr = { .pid = pid, .va = (unsigned long)va };
	int fd = dev_open();

	ioctl(fd, DMT_PRESENT, &pr);
	close(fd);
	return pr.present;
}

#endif /* _DMTEST_USER_H */
