/* version.h: stationplan's version, and the libraries it was built with. */
#ifndef STATIONPLAN_VERSION_H
#define STATIONPLAN_VERSION_H

#include <stddef.h>

#define STATIONPLAN_VERSION "0.1.0"

/* "stationplan 0.1.0 (GDAL 3.6.2, PROJ 9.1.1, GEOS 3.11.1, GLPK 5.0)";
 * versions are read from the libraries at run time. */
void version_string(char *buf, size_t bufsize);

#endif
