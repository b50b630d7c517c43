/*
 * gpkg_write.c: gpkg_write_plan(), the plan as a styled GeoPackage.
 *
 * Order of work: check the target (exists? open in QGIS?), set up the output
 * CRS, write every layer into `.<name>.tmp-<pid>.gpkg` beside the target,
 * close it, check again that the target is none of the run's inputs
 * (sources.h), and publish it atomically (io/gpkg_file.c). Any failure removes
 * the temporary file and leaves the target as it was. The layers are
 * written by io/gpkg_layers.c, gpkg_summary.c, gpkg_run.c and
 * gpkg_styles.c; see io/gpkg_int.h.
 */
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>

#include "gpkg_int.h"
#include "rules.h"
#include "io_int.h"
#include "sources.h"

status_code gpkg_setup_crs(gpkg_writer *w)
{
	const inputs *in = w->in;
	OGRSpatialReferenceH work = OSRNewSpatialReference(NULL);
	OGRErr e;
	if (in->crs_wkt && in->crs_wkt[0]) {
		char *wkt = in->crs_wkt;
		e = OSRImportFromWkt(work, &wkt);
	} else {
		e = OSRSetFromUserInput(work, in->crs ? in->crs : "");
	}
	if (e != OGRERR_NONE) {
		OSRDestroySpatialReference(work);
		return gdal_fail(w->st, STATUS_INTERNAL, "'%s': working CRS '%s' not understood",
		                 w->path, in->crs ? in->crs : "");
	}
	OSRSetAxisMappingStrategy(work, OAMS_TRADITIONAL_GIS_ORDER);
	snprintf(w->crs_name, sizeof(w->crs_name), "%s", in->crs ? in->crs : "");
	w->srs = work;
	if (!w->sc->output_crs || !w->sc->output_crs[0])
		return STATUS_OK;

	OGRSpatialReferenceH out = OSRNewSpatialReference(NULL);
	if (OSRSetFromUserInput(out, w->sc->output_crs) != OGRERR_NONE) {
		OSRDestroySpatialReference(out);
		return gdal_fail(w->st, STATUS_INPUT, "output: output_crs = '%s' is not a CRS",
		                 w->sc->output_crs);
	}
	OSRSetAxisMappingStrategy(out, OAMS_TRADITIONAL_GIS_ORDER);
	snprintf(w->crs_name, sizeof(w->crs_name), "%s", w->sc->output_crs);
	w->srs = out;
	if (OSRIsSame(work, out)) {
		OSRDestroySpatialReference(work);
		return STATUS_OK;
	}
	w->ct = OCTNewCoordinateTransformation(work, out);
	OSRDestroySpatialReference(work);
	if (!w->ct)
		return gdal_fail(w->st, STATUS_INPUT,
		                 "output: no transformation from '%s' to output_crs = '%s'",
		                 in->crs ? in->crs : "", w->sc->output_crs);
	return STATUS_OK;
}

/* District and street of each station (rules_station_places). Returns 0, or
 * -1 out of memory. */
static int station_places(gpkg_writer *w)
{
	size_t n = w->p->nstations ? w->p->nstations : 1;
	w->station_district = calloc(n, sizeof(char *));
	w->station_street = calloc(n, sizeof(char *));
	if (!w->station_district || !w->station_street)
		return -1;
	return rules_station_places(w->in, w->sites, w->p, w->station_district, w->station_street);
}

static status_code write_layers(gpkg_writer *w)
{
	status_code (*const steps[])(gpkg_writer *) = {
	    gpkg_write_stations,  gpkg_write_service_areas, gpkg_write_assignments,
	    gpkg_write_links,     gpkg_write_uncovered,     gpkg_write_districts,
	    gpkg_write_summaries, gpkg_write_phases,        gpkg_write_run,
	    gpkg_write_shard,     gpkg_write_levels,        gpkg_write_styles,
	    gpkg_write_project,
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		status_code rc = steps[i](w);
		if (rc != STATUS_OK)
			return rc;
	}
	return STATUS_OK;
}

/* Move the problems and fatal error of `from` into `to`. */
static void status_merge(status *to, const status *from)
{
	for (size_t i = 0; i < from->nproblems; i++)
		status_problem_add(to, from->problems[i].sev, from->problems[i].kind, "%s",
		                   from->problems[i].msg ? from->problems[i].msg : "");
	if (from->code != STATUS_OK && from->msg[0])
		status_fail(to, from->code, "%s", from->msg);
}

/* Create, fill and close the temporary GeoPackage `tmp`. A failure the
 * file system explains (disk full, folder gone or read-only) becomes
 * STATUS_WRITE naming the target; any other keeps the writer's message. */
static status_code write_file(gpkg_writer *w, const char *tmp)
{
	status ws;
	char detail[1024] = "";
	status *st = w->st;
	GDALDriverH drv = GDALGetDriverByName("GPKG");
	if (!drv)
		return status_fail(st, STATUS_INTERNAL, "GDAL has no GPKG driver");
	status_init(&ws);
	ws.quiet = st->quiet;
	ws.verbose = st->verbose;
	w->st = &ws;
	status_code rc = STATUS_OK;
	w->ds = GDALCreate(drv, tmp, 0, 0, 0, GDT_Unknown, NULL);
	if (!w->ds)
		rc = gdal_fail(&ws, STATUS_WRITE, "cannot create");
	if (rc == STATUS_OK)
		rc = write_layers(w);
	snprintf(detail, sizeof(detail), "%s", ws.msg[0] ? ws.msg : gdal_last_msg());
	if (w->ds) {
		CPLErrorReset();
		GDALClose(w->ds);
		w->ds = NULL;
		if (rc == STATUS_OK && CPLGetLastErrorType() >= CE_Failure) {
			snprintf(detail, sizeof(detail), "%s", gdal_last_msg());
			rc = STATUS_WRITE;
		}
	}
	w->st = st;
	char why[4300];
	/* the writer's own error stands, unless the file system explains it */
	int explained = rc == STATUS_WRITE ||
	                (rc != STATUS_OK && gpkg_file_reason(w->path, detail, why, sizeof(why)));
	if (explained) {
		ws.code = STATUS_OK;
		ws.msg[0] = '\0';
		status_merge(st, &ws);
		rc = gpkg_file_write_failed(w->path, detail, st);
	} else {
		status_merge(st, &ws);
	}
	status_free(&ws);
	return rc;
}

status_code gpkg_write_plan(const char *path, int overwrite, const scenario *sc, const inputs *in,
                            const site_table *sites, const reach *r, const plan *p,
                            const run_info *ri, status *st)
{
	char tmp[4200];
	status_code rc;
	sources src = {0};
	if (!sc || !in || !sites || !r || !p)
		return status_fail(st, STATUS_INTERNAL, "gpkg_write_plan: a table is missing");
	if ((rc = gpkg_check_target(path, overwrite, st)) != STATUS_OK)
		return rc;
	if (sources_add_scenario(&src, sc))
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	if ((rc = sources_check_output(&src, path, st)) != STATUS_OK) {
		sources_free(&src);
		return rc;
	}

	gdal_bridge_push();
	gpkg_writer w = {
	    .path = path, .sc = sc, .in = in, .sites = sites, .r = r, .p = p, .ri = ri, .st = st};
	w.timings = gpkg_run_timings_wanted(sc, ri);
	rc = gpkg_setup_crs(&w);
	if (rc == STATUS_OK && station_places(&w) != 0)
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
	if (rc == STATUS_OK &&
	    (rc = gpkg_file_temp_path(path, tmp, sizeof(tmp), st)) == STATUS_OK) {
		gpkg_file_guard(tmp);
		rc = write_file(&w, tmp);
		/* the target checked again just before the move: not an input */
		if (rc == STATUS_OK)
			rc = sources_check_output(&src, path, st);
		rc = gpkg_file_finish(rc, tmp, path, overwrite, st);
		gpkg_file_unguard();
	}
	sources_free(&src);
	free(w.station_district);
	free(w.station_street);
	if (w.ct)
		OCTDestroyCoordinateTransformation(w.ct);
	if (w.srs)
		OSRDestroySpatialReference(w.srs);
	gdal_bridge_pop();
	return rc;
}
