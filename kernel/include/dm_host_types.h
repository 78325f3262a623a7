/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Lock types of the Linux kernel host: sleeping mutexes, reader/writer
 * semaphores and wait queues.  The init functions are macros so that each
 * call site in the core gets its own lockdep class.
 */
#ifndef _DM_HOST_TYPES_H
#define _DM_HOST_TYPES_H

#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/wait.h>

typedef struct mutex dmh_mutex_t;
typedef struct rw_semaphore dmh_rwlock_t;
typedef wait_queue_head_t dmh_cond_t;

#define dmh_mutex_init(m) mutex_init(m)
#define dmh_rw_init(l) init_rwsem(l)
#define dmh_cond_init(c) init_waitqueue_head(c)

#endif /* _DM_HOST_TYPES_H */
