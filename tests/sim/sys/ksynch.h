/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * kmutex_t for test drivers on the simulated host: the Solaris mutex(9F)
 * calls over POSIX mutexes.
 */
#ifndef _SYS_KSYNCH_H
#define _SYS_KSYNCH_H

#include <pthread.h>

typedef struct {
	pthread_mutex_t m;
} kmutex_t;

#define MUTEX_DRIVER 4

static inline void mutex_init(kmutex_t *mp, char *name, int type, void *arg)
{
	(void)name;
	(void)type;
	(void)arg;
	pthread_mutex_init(&mp->m, NULL);
}

static inline void mutex_destroy(kmutex_t *mp)
{
	pthread_mutex_destroy(&mp->m);
}

static inline void mutex_enter(kmutex_t *mp)
{
	pthread_mutex_lock(&mp->m);
}

static inline void mutex_exit(kmutex_t *mp)
{
	pthread_mutex_unlock(&mp->m);
}

#endif /* _SYS_KSYNCH_H */
