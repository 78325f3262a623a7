/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Lock types of the simulated host: POSIX threads primitives, so that the
 * simulated processes may run deterministically in one thread or truly in
 * parallel in several.
 */
#ifndef _DM_HOST_TYPES_H
#define _DM_HOST_TYPES_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

typedef pthread_mutex_t dmh_mutex_t;
typedef pthread_rwlock_t dmh_rwlock_t;
typedef pthread_cond_t dmh_cond_t;

#endif /* _DM_HOST_TYPES_H */
