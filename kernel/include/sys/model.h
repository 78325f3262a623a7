/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris <sys/model.h> for drivers on Linux: the data models of a
 * caller (ddi_model_convert_from(9F)) under their DATAMODEL_* names.
 */
#ifndef _SYS_MODEL_H
#define _SYS_MODEL_H

#include <sys/sunddi.h>

#define DATAMODEL_MASK DDI_MODEL_MASK
#define DATAMODEL_ILP32 DDI_MODEL_ILP32
#define DATAMODEL_LP64 DDI_MODEL_LP64
#define DATAMODEL_NATIVE DDI_MODEL_NATIVE
#define DATAMODEL_NONE DDI_MODEL_NONE

#endif /* _SYS_MODEL_H */
