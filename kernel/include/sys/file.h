/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris open and ioctl mode flags (<sys/file.h>) for drivers on Linux;
 * FMODELS picks the caller's data model out of an ioctl(9E) mode.
 */
#ifndef _SYS_FILE_H
#define _SYS_FILE_H

#include <sys/model.h>

#define FREAD 0x01
#define FWRITE 0x02
#define FNDELAY 0x04
#define FEXCL 0x0800
#define FMODELS DATAMODEL_MASK
#define FKIOCTL 0x80000000
#endif
