/*
 * version.c: stationplan's version string with the versions of the libraries
 * it runs with, read from the libraries themselves.
 */
#include "version.h"

#include <stdio.h>

#define GEOS_USE_ONLY_R_API
#include <gdal.h>
#include <geos_c.h>
#include <glpk.h>
#include <proj.h>

void version_string(char *buf, size_t bufsize)
{
	PJ_INFO pj = proj_info();
	snprintf(buf, bufsize, "stationplan %s (GDAL %s, PROJ %s, GEOS %s, GLPK %s)",
	         STATIONPLAN_VERSION, GDALVersionInfo("RELEASE_NAME"), pj.version, GEOSversion(),
	         glp_version());
}
