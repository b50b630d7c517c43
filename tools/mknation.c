/*
 * mknation.c: a simulated national input, streamed (issue 18).
 *
 * Writes about 115,000 urban communities and 2.5 million natural villages
 * over a few hundred districts (defaults; --scale multiplies both counts)
 * into layer 'units' of a GeoPackage, with the fields stationplan's default
 * scenario reads (code, name, kind, street, district, households), in
 * CGCS2000 / 3-degree Gauss-Kruger CM 105E (EPSG:4544) metres.
 *
 * Layout: districts are 40 km squares on a grid. Communities go to
 * districts with Zipf weights (a few metropolitan cores with thousands of
 * communities, most county seats with a few dozen), packed in a square
 * around the district centre on a 420 m grid (400 m blocks, as dense as the
 * density issue's cores); villages fill the rest of the district on a
 * jittered grid (200 m squares), ten by ten grid cells to a town (street).
 * Households: communities log-normal around 2,600 (600..9,000), villages
 * around 280 (30..2,000).
 *
 * Streamed: each feature is created, written and freed at once (one
 * transaction per 20,000), so the generator's memory does not grow with
 * the nation. The same seed gives the same features.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "mkcity_rng.h"

#define DISTRICT_M  40000.0
#define BLOCK_M     420.0
#define COMMUNITY_M 400.0
#define VILLAGE_M   200.0
#define TOWN_CELLS  10
#define BATCH       20000
#define ORIGIN_X    300000.0
#define ORIGIN_Y    3000000.0

typedef struct opts {
	const char *out, *scenario;
	long districts, communities, villages;
	unsigned long seed;
	int quiet;
} opts;

static void usage(FILE *f)
{
	fputs("usage: mknation -o OUT.gpkg [--districts N] [--communities N] [--villages N]\n"
	      "                [--scale F] [--seed N] [--scenario FILE] [-q]\n\n"
	      "Write a simulated national input (default 300 districts, 115,000 communities,\n"
	      "2,500,000 villages; --scale multiplies the two counts) as layer 'units' in\n"
	      "EPSG:4544, streamed. --scenario also writes a stationplan scenario reading it.\n",
	      f);
}

static int parse(int argc, char **argv, opts *o)
{
	double scale = 1.0;
	*o = (opts){NULL, NULL, 300, 115000, 2500000, 1, 0};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && v)
			o->out = argv[++i];
		else if (!strcmp(a, "--scenario") && v)
			o->scenario = argv[++i];
		else if (!strcmp(a, "--districts") && v)
			o->districts = atol(argv[++i]);
		else if (!strcmp(a, "--communities") && v)
			o->communities = atol(argv[++i]);
		else if (!strcmp(a, "--villages") && v)
			o->villages = atol(argv[++i]);
		else if (!strcmp(a, "--scale") && v)
			scale = atof(argv[++i]);
		else if (!strcmp(a, "--seed") && v)
			o->seed = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
			o->quiet = 1;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else {
			fprintf(stderr, "mknation: unknown or incomplete option '%s'\n", a);
			usage(stderr);
			return -1;
		}
	}
	o->communities = (long)((double)o->communities * scale + 0.5);
	o->villages = (long)((double)o->villages * scale + 0.5);
	if (!o->out || o->districts < 1 || o->communities < 0 || o->villages < 0 || scale <= 0) {
		fprintf(stderr, "mknation: need -o OUT.gpkg and positive counts\n");
		usage(stderr);
		return -1;
	}
	return 0;
}

typedef struct writer {
	OGRLayerH l;
	GDALDatasetH ds;
	long n;
} writer;

static int put(writer *w, const char *code, const char *name, const char *kind, const char *street,
               const char *district, int households, double x, double y, double side)
{
	OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(w->l));
	OGR_F_SetFieldString(f, 0, code);
	OGR_F_SetFieldString(f, 1, name);
	OGR_F_SetFieldString(f, 2, kind);
	OGR_F_SetFieldString(f, 3, street);
	OGR_F_SetFieldString(f, 4, district);
	OGR_F_SetFieldInteger(f, 5, households);
	OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
	double h = side / 2;
	OGR_G_AddPoint_2D(ring, x - h, y - h);
	OGR_G_AddPoint_2D(ring, x + h, y - h);
	OGR_G_AddPoint_2D(ring, x + h, y + h);
	OGR_G_AddPoint_2D(ring, x - h, y + h);
	OGR_G_AddPoint_2D(ring, x - h, y - h);
	OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
	OGR_G_AddGeometryDirectly(poly, ring);
	OGRGeometryH mp = OGR_G_CreateGeometry(wkbMultiPolygon);
	OGR_G_AddGeometryDirectly(mp, poly);
	OGR_F_SetGeometryDirectly(f, mp);
	int rc = OGR_L_CreateFeature(w->l, f) == OGRERR_NONE ? 0 : -1;
	OGR_F_Destroy(f);
	if (rc == 0 && ++w->n % BATCH == 0) {
		if (OGR_L_CommitTransaction(w->l) != OGRERR_NONE ||
		    OGR_L_StartTransaction(w->l) != OGRERR_NONE)
			return -1;
	}
	return rc;
}

/* Zipf share of district d (1-based rank) among n: 1/d^0.9, normalised. */
static double zipf(long d, long n)
{
	static double norm;
	static long cached;
	if (cached != n) {
		norm = 0;
		for (long i = 1; i <= n; i++)
			norm += pow((double)i, -0.9);
		cached = n;
	}
	return pow((double)d, -0.9) / norm;
}

/* One district: its communities in a square core, villages around. */
static int district(writer *w, const opts *o, long d, long ncomm, long nvill, mkcity_rng *rng)
{
	long cols = (long)ceil(sqrt((double)o->districts));
	double x0 = ORIGIN_X + (double)(d % cols) * DISTRICT_M;
	double y0 = ORIGIN_Y + (double)(d / cols) * DISTRICT_M;
	double cx = x0 + DISTRICT_M / 2, cy = y0 + DISTRICT_M / 2;
	char dname[24], code[96], name[128], street[128];
	snprintf(dname, sizeof(dname), "D%03ld", d + 1);

	long side = (long)ceil(sqrt((double)ncomm));
	double core = (double)side * BLOCK_M; /* width of the core square */
	for (long i = 0; i < ncomm; i++) {
		long r = i / side, c = i % side;
		double x = cx - core / 2 + ((double)c + 0.5) * BLOCK_M;
		double y = cy - core / 2 + ((double)r + 0.5) * BLOCK_M;
		snprintf(code, sizeof(code), "%s-C%05ld", dname, i + 1);
		snprintf(name, sizeof(name), "%s第%ld社区", dname, i + 1);
		snprintf(street, sizeof(street), "%s街道%ld", dname, (r / 4) * 1000 + c / 4 + 1);
		int hh = mkcity_rng_lognormal(rng, 2600, 0.45, 600, 9000);
		if (put(w, code, name, "community", street, dname, hh, x, y, COMMUNITY_M) < 0)
			return -1;
	}
	/* villages on a jittered grid over the district, outside the core */
	double usable = DISTRICT_M * DISTRICT_M - (core + 2000) * (core + 2000);
	double spacing = nvill > 0 && usable > 0 ? 0.95 * sqrt(usable / (double)nvill) : DISTRICT_M;
	if (spacing < VILLAGE_M * 1.5)
		spacing = VILLAGE_M * 1.5;
	long n = (long)(DISTRICT_M / spacing);
	long made = 0;
	for (long r = 0; r < n && made < nvill; r++)
		for (long c = 0; c < n && made < nvill; c++) {
			double x = x0 + ((double)c + 0.5) * spacing;
			double y = y0 + ((double)r + 0.5) * spacing;
			if (fabs(x - cx) < core / 2 + 1000 && fabs(y - cy) < core / 2 + 1000)
				continue;
			x += (mkcity_rng_uniform(rng) - 0.5) * (spacing - VILLAGE_M) * 0.8;
			y += (mkcity_rng_uniform(rng) - 0.5) * (spacing - VILLAGE_M) * 0.8;
			made++;
			snprintf(code, sizeof(code), "%s-V%06ld", dname, made);
			snprintf(name, sizeof(name), "%s第%ld村", dname, made);
			snprintf(street, sizeof(street), "%s镇%ld", dname,
			         (r / TOWN_CELLS) * 1000 + c / TOWN_CELLS + 1);
			int hh = mkcity_rng_lognormal(rng, 280, 0.6, 30, 2000);
			if (put(w, code, name, "village", street, dname, hh, x, y, VILLAGE_M) < 0)
				return -1;
		}
	return 0;
}

static int write_scenario(const opts *o)
{
	FILE *f = fopen(o->scenario, "w");
	if (!f)
		return -1;
	const char *slash = strrchr(o->out, '/');
	fprintf(f,
	        "; stationplan scenario written by mknation (seed %lu): a simulated nation\n"
	        "[input]\nunits = %s\nunits_layer = units\nid_field = code\nname_field = name\n"
	        "households_field = households\nkind_field = kind\ndistrict_field = district\n"
	        "street_field = street\ncrs = EPSG:4544\n\n[rules]\nhouseholds_min = 3000\n"
	        "households_max = 5000\nwalk_distance_m = 1000\nrural = one_per_village\n"
	        "objective = min_stations\n\n[solver]\ntime_limit_s = 600\nmip_gap = 0.005\n\n"
	        "[output]\npath = plan.gpkg\n",
	        o->seed, slash ? slash + 1 : o->out);
	return fclose(f);
}

int main(int argc, char **argv)
{
	opts o;
	if (parse(argc, argv, &o) < 0)
		return 1;
	GDALAllRegister();
	CPLSetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
	GDALDriverH drv = GDALGetDriverByName("GPKG");
	VSIUnlink(o.out);
	GDALDatasetH ds = drv ? GDALCreate(drv, o.out, 0, 0, 0, GDT_Unknown, NULL) : NULL;
	if (!ds) {
		fprintf(stderr, "mknation: '%s': cannot create: %s\n", o.out, CPLGetLastErrorMsg());
		return 4;
	}
	OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
	OSRImportFromEPSG(srs, 4544);
	char **lco = CSLSetNameValue(NULL, "GEOMETRY_NAME", "geom");
	lco = CSLSetNameValue(lco, "FID", "fid");
	OGRLayerH l = GDALDatasetCreateLayer(ds, "units", srs, wkbMultiPolygon, lco);
	CSLDestroy(lco);
	OSRDestroySpatialReference(srs);
	const char *names[] = {"code", "name", "kind", "street", "district", "households"};
	for (int i = 0; l && i < 6; i++) {
		OGRFieldDefnH fd = OGR_Fld_Create(names[i], i == 5 ? OFTInteger : OFTString);
		OGR_L_CreateField(l, fd, FALSE);
		OGR_Fld_Destroy(fd);
	}
	writer w = {l, ds, 0};
	int rc = l && OGR_L_StartTransaction(l) == OGRERR_NONE ? 0 : -1;
	mkcity_rng rng;
	mkcity_rng_init(&rng, o.seed, "mknation");
	/* communities per district: Zipf shares, ranks spread over the grid,
	 * capped so a core fits its district; the excess goes to the others */
	long *nc = calloc((size_t)o.districts, sizeof(long));
	long cap = (long)pow(floor((DISTRICT_M - 5000) / BLOCK_M), 2), given = 0;
	for (long d = 0; nc && d < o.districts; d++) {
		long rank = (d * 7919) % o.districts + 1;
		nc[d] = (long)floor((double)o.communities * zipf(rank, o.districts));
		nc[d] = nc[d] > cap ? cap : nc[d];
		given += nc[d];
	}
	for (long d = 0; nc && given < o.communities; d = (d + 1) % o.districts)
		if (nc[d] < cap) {
			nc[d]++;
			given++;
		}
	if (!nc)
		rc = -1;
	long cdone = 0, vdone = 0;
	for (long d = 0; d < o.districts && rc == 0; d++) {
		long nv = d + 1 == o.districts ? o.villages - vdone : o.villages / o.districts;
		rc = district(&w, &o, d, nc[d], nv, &rng);
		cdone += nc[d];
		vdone += nv;
		if (!o.quiet && (d + 1) % 25 == 0)
			fprintf(stderr, "mknation: %ld of %ld districts, %ld units\n", d + 1,
			        o.districts, w.n);
	}
	free(nc);
	if (rc == 0 && OGR_L_CommitTransaction(l) != OGRERR_NONE)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "mknation: '%s': cannot write: %s\n", o.out, CPLGetLastErrorMsg());
	GDALClose(ds);
	if (rc == 0 && o.scenario && write_scenario(&o) != 0) {
		fprintf(stderr, "mknation: '%s': cannot write the scenario\n", o.scenario);
		rc = -1;
	}
	if (rc == 0 && !o.quiet)
		fprintf(stderr,
		        "mknation: %ld units (%ld communities, %ld villages) in %ld districts\n",
		        w.n, cdone, w.n - cdone, o.districts);
	return rc == 0 ? 0 : 4;
}
