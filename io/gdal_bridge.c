/*
 * gdal_bridge.c: the one place GDAL's errors enter stationplan's status.
 *
 * GDAL reports through CPLError into a per-thread "last error". io code
 * pushes a quiet handler around its calls (so nothing is printed behind the
 * status module's back) and, when a call fails, reads the message right away
 * with gdal_fail().
 */
#include "io_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_once(void)
{
	GDALAllRegister();
	/* Output must not depend on the environment: no GDAL_* surprises in the
	 * files we write, and lon/lat read as x=lon, y=lat everywhere. */
	CPLSetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
}

void gdal_bridge_init(void)
{
	pthread_once(&once, init_once);
}

/* Keep messages (CPLGetLastErrorMsg still sees them) but print nothing. */
static void CPL_STDCALL quiet_handler(CPLErr cls, CPLErrorNum num, const char *msg)
{
	(void)cls;
	(void)num;
	(void)msg;
}

void gdal_bridge_push(void)
{
	gdal_bridge_init();
	CPLPushErrorHandler(quiet_handler);
	CPLErrorReset();
}

void gdal_bridge_pop(void)
{
	CPLPopErrorHandler();
}

const char *gdal_last_msg(void)
{
	const char *m = CPLGetLastErrorMsg();
	return m ? m : "";
}

status_code gdal_fail(status *st, status_code code, const char *fmt, ...)
{
	char what[768];
	const char *gmsg = gdal_last_msg(); /* read before anything else calls GDAL */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (gmsg[0])
		return status_fail(st, code, "%s: %s", what, gmsg);
	return status_fail(st, code, "%s", what);
}
