// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Start-up and shutdown of the core's global tables, and the small DDI
 * helpers with no better home: nodev/nulldev and ddi_model_convert_from.
 */
#include "dm_impl.h"

/**
 * dm_core_init() - initialise the core's global locks; call once per host
 */
void dm_core_init(void)
{
	dmh_mutex_init(&dm_ctx_list_lock);
	dmh_mutex_init(&dm_umem_lock);
	dmh_mutex_init(&dm_as_id_lock);
}

/**
 * dm_core_fini() - tear down what dm_core_init() set up
 *
 * Every mapping must be gone by then.
 */
void dm_core_fini(void)
{
	dmh_mutex_destroy(&dm_as_id_lock);
	dmh_mutex_destroy(&dm_umem_lock);
	dmh_mutex_destroy(&dm_ctx_list_lock);
}

/**
 * dm_nodev() - the nodev entry point: the operation is not supported
 *
 * Return: ENXIO.
 */
int dm_nodev(void)
{
	return ENXIO;
}

/**
 * dm_nulldev() - the nulldev entry point: the operation does nothing
 *
 * Return: 0.
 */
int dm_nulldev(void)
{
	return 0;
}

/**
 * ddi_model_convert_from() - does a caller's data model need conversion?
 * @model: the model argument of devmap(9E) or ioctl(9E)
 *
 * Return: DDI_MODEL_ILP32 for a 32-bit process (the kernel is 64-bit), else
 * DDI_MODEL_NONE.
 */
uint_t ddi_model_convert_from(uint_t model)
{
	return (model & DDI_MODEL_MASK) == DDI_MODEL_ILP32 ? DDI_MODEL_ILP32 :
							     DDI_MODEL_NONE;
}
