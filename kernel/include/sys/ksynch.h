/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris kernel synchronisation for drivers on Linux: kmutex_t over
 * struct mutex and kcondvar_t over a wait queue (mutex(9F), condvar(9F)).
 * mutex_init takes Solaris' four arguments here; each call site gets its
 * own lockdep class.
 */
#ifndef _SYS_KSYNCH_H
#define _SYS_KSYNCH_H

#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <sys/time.h>

typedef struct mutex kmutex_t;
typedef enum {
	MUTEX_ADAPTIVE = 0,
	MUTEX_SPIN = 1,
	MUTEX_DRIVER = 4,
	MUTEX_DEFAULT = 6
} kmutex_type_t;

#undef mutex_init
#define mutex_init(mp, name, type, arg)                \
	do {                                           \
		static struct lock_class_key __dm_key; \
		(void)(name);                          \
		(void)(type);                          \
		(void)(arg);                           \
		__mutex_init((mp), #mp, &__dm_key);    \
	} while (0)
#define mutex_enter(mp) mutex_lock(mp)
#define mutex_exit(mp) mutex_unlock(mp)
#define mutex_tryenter(mp) mutex_trylock(mp)
/* Solaris: held by the caller; here: held by anyone (assertions only) */
#define MUTEX_HELD(mp) mutex_is_locked(mp)

typedef struct {
	wait_queue_head_t cv_wq;
} kcondvar_t;
typedef enum { CV_DEFAULT = 0, CV_DRIVER = 1 } kcv_type_t;

#define cv_init(cvp, name, type, arg) init_waitqueue_head(&(cvp)->cv_wq)
#define cv_destroy(cvp) ((void)(cvp))
void cv_wait(kcondvar_t *cvp, kmutex_t *mp);
int cv_wait_sig(kcondvar_t *cvp, kmutex_t *mp);
clock_t cv_reltimedwait(kcondvar_t *cvp, kmutex_t *mp, clock_t delta,
			time_res_t res);
clock_t cv_reltimedwait_sig(kcondvar_t *cvp, kmutex_t *mp, clock_t delta,
			    time_res_t res);
void cv_signal(kcondvar_t *cvp);
void cv_broadcast(kcondvar_t *cvp);

#endif /* _SYS_KSYNCH_H */
