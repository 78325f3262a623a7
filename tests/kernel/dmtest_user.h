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

#endif /* _DMTEST_USER_H */
