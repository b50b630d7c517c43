/*
 * cu_safety.c: nothing lost, nothing hidden (issue 14): the output may
 * never be an input, the output format is chosen as ogr2ogr does and
 * refused when it cannot hold a plan, the temporary file lives in a fresh
 * private folder and dead runs' leftovers are cleaned, every write failure
 * exits with one code naming the target and the reason, and contradictory
 * command-line flags are refused.
 *
 * The end-to-end tests run the binary (cu_bin()) on a copy of
 * fixtures/bad/good.ini and its data in a scratch folder of their own. The
 * read-only folder and the full disk are small tmpfs mounts made inside a
 * private mount namespace (unshare -m), so nothing stays mounted whatever
 * happens; that needs root (CAP_SYS_ADMIN): without it those two checks are
 * reported as not run, on stderr.
 */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cu_tester.h"
#include "status.h"

/* io/gpkg_int.h (internal) */
status_code gpkg_file_temp_path(const char *path, char *tmp, size_t tmpsize, status *st);
void gpkg_file_discard(const char *tmp);

static char dir[700];

/* A fresh scratch folder <outdir>/safety with the good fixture in it. */
static void scratch(void)
{
	char cmd[2600];
	snprintf(dir, sizeof(dir), "%s/safety", cu_outdir());
	snprintf(cmd, sizeof(cmd),
	         "rm -rf '%s' && mkdir -p '%s' && cp fixtures/bad/good.ini fixtures/bad/good.gpkg "
	         "fixtures/bad/good_join.ini fixtures/bad/nohh.gpkg fixtures/bad/households.csv "
	         "'%s'/",
	         dir, dir, dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
}

/* Run `stationplan <args>` in the scratch folder; stderr into *err. */
static int sp(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int sp(char **err, const char *fmt, ...)
{
	char args[2000], cmd[4200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	char bin[600];
	snprintf(bin, sizeof(bin), "%s", cu_bin());
	if (bin[0] != '/') {
		char cwd[400];
		CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof(cwd)));
		snprintf(bin, sizeof(bin), "%s/%s", cwd, cu_bin());
	}
	snprintf(cmd, sizeof(cmd), "(cd '%s' && %s %s)", dir, bin, args);
	return cu_run(cmd, NULL, err);
}

/* The content of <dir>/<name>, malloc'd ("" when missing); size in *n. */
static char *slurp(const char *name, size_t *n)
{
	char path[900];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	char *b = calloc(1, 1 << 20);
	*n = f ? fread(b, 1, (1 << 20) - 1, f) : 0;
	if (f)
		fclose(f);
	return b;
}

/* Entries of the scratch folder whose name starts with `prefix`. */
static int entries(const char *prefix)
{
	int n = 0;
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));)
		n += !strncmp(e->d_name, prefix, strlen(prefix));
	if (d)
		closedir(d);
	return n;
}

static int root_mounts(void)
{
	return system("unshare -m true 2>/dev/null") == 0;
}

/* Row 1: -o naming an input, directly, through a symlink, through `..`,
 * the scenario file or the households CSV: exit 2 naming both, the input
 * untouched, whatever --overwrite says. */
static void test_output_is_input(void)
{
	static const struct {
		const char *args, *msg;
	} cases[] = {
	    {"run good.ini -q -o good.gpkg --overwrite",
	     "stationplan: error: 'good.gpkg' is the units input 'good.gpkg' (the same file); a "
	     "plan may never replace one of its inputs\n"},
	    {"run good.ini -q -o link.gpkg --overwrite",
	     "stationplan: error: 'link.gpkg' is the units input 'good.gpkg' (the same file); a "
	     "plan may never replace one of its inputs\n"},
	    {"run good.ini -q -o sub/../good.gpkg --overwrite",
	     "stationplan: error: 'sub/../good.gpkg' is the units input 'good.gpkg' (the same "
	     "file); a plan may never replace one of its inputs\n"},
	    {"run good.ini -q -o good.ini -of GPKG --overwrite",
	     "stationplan: error: 'good.ini' is the scenario input 'good.ini' (the same file); a "
	     "plan may never replace one of its inputs\n"},
	    {"run good_join.ini -q -o households.csv -of GPKG --overwrite",
	     "stationplan: error: 'households.csv' is the households_table input "
	     "'households.csv' (the same file); a plan may never replace one of its inputs\n"},
	    {"run good.ini -q -o x.gpkg --sweep rules.households_max=4000 --overwrite", NULL},
	};
	scratch();
	char cmd[1500];
	snprintf(cmd, sizeof(cmd), "cd '%s' && ln -s good.gpkg link.gpkg && mkdir sub", dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	size_t n0, n1, c0, c1, i0, i1;
	char *units0 = slurp("good.gpkg", &n0), *csv0 = slurp("households.csv", &c0),
	     *ini0 = slurp("good.ini", &i0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *err = NULL;
		if (!cases[i].msg)
			continue;
		CU_ASSERT_EQUAL(sp(&err, "%s", cases[i].args), 2);
		CU_ASSERT_STRING_EQUAL(err, cases[i].msg);
		free(err);
	}
	/* a sweep target that is an input: refused before the first run */
	snprintf(cmd, sizeof(cmd), "cd '%s' && ln -s good.gpkg x-households_max-4000.gpkg", dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	char *err = NULL;
	CU_ASSERT_EQUAL(sp(&err, "%s", cases[5].args), 2);
	CU_ASSERT_STRING_EQUAL(err, "stationplan: error: 'x-households_max-4000.gpkg' is the units "
	                            "input 'good.gpkg' (the same file); a plan may never replace "
	                            "one of its inputs\n");
	free(err);
	char *units1 = slurp("good.gpkg", &n1), *csv1 = slurp("households.csv", &c1),
	     *ini1 = slurp("good.ini", &i1);
	CU_ASSERT_TRUE(n0 > 0 && n0 == n1 && !memcmp(units0, units1, n0));
	CU_ASSERT_TRUE(c0 > 0 && c0 == c1 && !memcmp(csv0, csv1, c0));
	CU_ASSERT_TRUE(i0 > 0 && i0 == i1 && !memcmp(ini0, ini1, i0));
	free(units0), free(units1), free(csv0), free(csv1), free(ini0), free(ini1);

	/* compare: the changes file may be neither plan */
	CU_ASSERT_EQUAL(sp(NULL, "run good.ini -q -o a.gpkg"), 0);
	CU_ASSERT_EQUAL(sp(&err, "compare a.gpkg a.gpkg -q -o a.gpkg --overwrite"), 2);
	CU_ASSERT_STRING_EQUAL(err, "stationplan: error: 'a.gpkg' is the plan A input 'a.gpkg' "
	                            "(the same file); a plan may never replace one of its "
	                            "inputs\n");
	free(err);
}

/* Row 12: the format follows -of or the extension; only GeoPackage is
 * written; '-', PG: and /vsi... refused before any work, nothing left. */
static void test_output_format(void)
{
	static const struct {
		const char *out, *msg;
	} cases[] = {
	    {"x.shp", "stationplan: error: 'x.shp': the ESRI Shapefile format (the extension "
	              "'.shp') cannot hold the plan's layers (several layers, tables without "
	              "geometry, QGIS styles); name a .gpkg file\n"},
	    {"x.geojson", "stationplan: error: 'x.geojson': the GeoJSON format (the extension "
	                  "'.geojson') cannot hold the plan's layers (several layers, tables "
	                  "without geometry, QGIS styles); name a .gpkg file\n"},
	    {"x.out", "stationplan: error: 'x.out': no vector format has the extension '.out'; "
	              "name a .gpkg file or add -of GPKG\n"},
	    {"-", "stationplan: error: '-': a GeoPackage cannot be written to standard output; "
	          "name a .gpkg file\n"},
	    {"PG:dbname=x", "stationplan: error: 'PG:dbname=x': PostGIS output needs "
	                    "output.schema (e.g. --set output.schema=plan_2025)\n"},
	    {"/vsizip/x.zip/p.gpkg",
	     "stationplan: error: '/vsizip/x.zip/p.gpkg': GDAL virtual file systems cannot be "
	     "written atomically; write a plain .gpkg file (and zip it afterwards)\n"},
	};
	scratch();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *err = NULL;
		CU_ASSERT_EQUAL(sp(&err, "run good.ini -q -o '%s'", cases[i].out), 1);
		CU_ASSERT_STRING_EQUAL(err, cases[i].msg);
		free(err);
	}
	CU_ASSERT_EQUAL(entries("x."), 0);
	CU_ASSERT_EQUAL(entries("."), 2); /* "." and "..": nothing was written */
	char *err = NULL;
	CU_ASSERT_EQUAL(sp(&err, "run good.ini -q -o x.shp -of 'ESRI Shapefile'"), 1);
	CU_ASSERT_STRING_EQUAL(err, "stationplan: error: 'x.shp': the ESRI Shapefile format (-of "
	                            "ESRI Shapefile) cannot hold the plan's layers (several "
	                            "layers, tables without geometry, QGIS styles); name a .gpkg "
	                            "file\n");
	free(err);
	/* -of GPKG takes any name; no extension means GeoPackage */
	CU_ASSERT_EQUAL(sp(NULL, "run good.ini -q -o x.out -of GPKG"), 0);
	CU_ASSERT_EQUAL(sp(NULL, "run good.ini -q -o plan"), 0);
	size_t n;
	char *b = slurp("plan", &n);
	CU_ASSERT_TRUE(n > 16 && !memcmp(b, "SQLite format 3", 15));
	free(b);
}

/* Row 6: the temporary file is in a fresh private folder (mkdtemp, 0700),
 * not at a predictable name where a planted link would be followed; the
 * leftovers of dead runs are removed by name and pid, a live pid's kept. */
static void test_temp_private(void)
{
	char target[900], tmp[1200], old[1000], victim[900], cmd[3000];
	status st;
	scratch();
	snprintf(target, sizeof(target), "%s/t.gpkg", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(old, sizeof(old), "%s/.t.gpkg.tmp-%ld.gpkg", dir, (long)getpid());
	FILE *f = fopen(victim, "w");
	fputs("keep", f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(symlink(victim, old), 0);
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(gpkg_file_temp_path(target, tmp, sizeof(tmp), &st), STATUS_OK);
	char *slash = strrchr(tmp, '/');
	CU_ASSERT_STRING_EQUAL(slash, "/t.gpkg");
	*slash = '\0';
	char prefix[1000];
	snprintf(prefix, sizeof(prefix), "%s/.t.gpkg.tmp-%ld-", dir, (long)getpid());
	CU_ASSERT_EQUAL(strncmp(tmp, prefix, strlen(prefix)), 0);
	CU_ASSERT_EQUAL(strlen(tmp), strlen(prefix) + 6);
	struct stat sb;
	CU_ASSERT_EQUAL(lstat(tmp, &sb), 0);
	CU_ASSERT_TRUE(S_ISDIR(sb.st_mode) && (sb.st_mode & 0777) == 0700);
	*slash = '/';
	gpkg_file_discard(tmp);
	*slash = '\0';
	CU_ASSERT_EQUAL(access(tmp, F_OK), -1); /* the folder goes with the file */
	status_free(&st);
	unlink(old);

	/* leftovers: pid 2^22+1 is above pid_max's default ceiling (no such
	 * process); the test's own pid is alive */
	snprintf(cmd, sizeof(cmd),
	         "cd '%s' && mkdir .p.gpkg.tmp-4194305-Ab12Cd && touch "
	         ".p.gpkg.tmp-4194305-Ab12Cd/p.gpkg "
	         ".p.gpkg.tmp-4194305.gpkg && mkdir .p.gpkg.tmp-%ld-Zz99Yy && ln -s victim "
	         ".p.gpkg.tmp-4194306-Link00",
	         dir, (long)getpid());
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL(entries(".p.gpkg.tmp-"), 4);
	CU_ASSERT_EQUAL(sp(NULL, "run good.ini -q -o p.gpkg"), 0);
	CU_ASSERT_EQUAL(entries(".p.gpkg.tmp-"), 1); /* the live pid's */
	size_t n;
	char *v = slurp("victim", &n);
	CU_ASSERT_STRING_EQUAL(v, "keep");
	free(v);
	/* a symlink at the target is replaced (with --overwrite), not followed */
	snprintf(cmd, sizeof(cmd), "cd '%s' && ln -s victim q.gpkg", dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL(sp(NULL, "run good.ini -q -o q.gpkg --overwrite"), 0);
	snprintf(cmd, sizeof(cmd), "%s/q.gpkg", dir);
	CU_ASSERT_TRUE(lstat(cmd, &sb) == 0 && S_ISREG(sb.st_mode));
	v = slurp("victim", &n);
	CU_ASSERT_STRING_EQUAL(v, "keep");
	free(v);
	CU_ASSERT_EQUAL(entries(".q.gpkg.tmp-"), 0);
}

/* Row 14: missing folder, read-only folder, full disk: exit 5, the target
 * and the reason named, an earlier file untouched, nothing left behind. */
static void test_write_failures(void)
{
	char *err = NULL, cmd[3000], bin[600], cwd[400];
	scratch();
	CU_ASSERT_EQUAL(sp(&err, "run good.ini -q -o nosuch/p.gpkg"), 5);
	CU_ASSERT_STRING_EQUAL(err, "stationplan: error: 'nosuch/p.gpkg': cannot write the plan: "
	                            "the folder 'nosuch' does not exist\n");
	free(err);
	CU_ASSERT_EQUAL(sp(&err, "run good.ini -q -o good.ini/p.gpkg"), 5);
	CU_ASSERT_STRING_EQUAL(err, "stationplan: error: 'good.ini/p.gpkg': cannot write the "
	                            "plan: 'good.ini' is not a folder\n");
	free(err);
	if (!root_mounts()) {
		fprintf(stderr, "\n  (read-only and full-disk cases not run: unshare -m needs "
		                "root)\n");
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof(cwd)));
	snprintf(bin, sizeof(bin), "%s%s%s", cu_bin()[0] == '/' ? "" : cwd,
	         cu_bin()[0] == '/' ? "" : "/", cu_bin());
	/* read-only: a tmpfs mounted ro, with an earlier plan in it */
	snprintf(cmd, sizeof(cmd),
	         "(cd '%s' && mkdir ro full && %s run good.ini -q -o ro/p.gpkg && unshare -m sh "
	         "-c 'mount -o bind,ro ro ro && %s run good.ini -q -o ro/p.gpkg --overwrite "
	         "--set rules.households_max=4000')",
	         dir, bin, bin);
	CU_ASSERT_EQUAL(cu_run(cmd, NULL, &err), 5);
	CU_ASSERT_STRING_EQUAL(err, "stationplan: error: 'ro/p.gpkg': cannot write the plan: the "
	                            "folder 'ro' is on a read-only file system\n");
	free(err);
	/* full: a 96 KiB tmpfs, too small for the plan */
	snprintf(cmd, sizeof(cmd),
	         "(cd '%s' && unshare -m sh -c 'mount -t tmpfs -o size=96k tmpfs full && %s run "
	         "good.ini -q -o full/p.gpkg; rc=$?; ls -A full >&2; exit $rc')",
	         dir, bin);
	CU_ASSERT_EQUAL(cu_run(cmd, NULL, &err), 5);
	CU_ASSERT_STRING_EQUAL(err, "stationplan: error: 'full/p.gpkg': cannot write the plan: "
	                            "disk full\n"); /* and `ls -A` found nothing */
	free(err);
}

/* Row 18: -vv accepted and shows the solver; contradictions refused. */
static void test_flags(void)
{
	char *err = NULL;
	scratch();
	CU_ASSERT_EQUAL(sp(&err, "run good.ini -vv -o v.gpkg"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "\nsolve: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "\n  sub-problem "));
	free(err);
	CU_ASSERT_EQUAL(sp(&err, "-vv check good.ini"), 0);
	free(err);
	static const struct {
		const char *args, *msg;
	} bad[] = {
	    {"run good.ini --verbose --quiet",
	     "stationplan: error: run: --quiet and --verbose contradict each other\n"},
	    {"-q run good.ini -v",
	     "stationplan: error: run: --quiet and --verbose contradict each other\n"},
	    {"run good.ini -q --progress",
	     "stationplan: error: run: --quiet and --progress contradict each other\n"},
	    {"run good.ini --format csv",
	     "stationplan: error: run: --format applies to the table of a --sweep only\n"},
	    {"check good.ini -q -vv",
	     "stationplan: error: check: --quiet and --verbose contradict each other\n"},
	    {"run good.ini -vx", NULL},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(sp(&err, "%s", bad[i].args), 1);
		if (bad[i].msg)
			CU_ASSERT_STRING_EQUAL(err, bad[i].msg);
		free(err);
	}
	CU_ASSERT_EQUAL(entries("plan.gpkg"), 0);
}

/* Row 15: the run record keeps sizes and SHA-256, not modification times:
 * the same plan, byte for byte, from copies of the same inputs (new mtimes)
 * and from a copy of the whole folder. */
static void test_record_survives_copy(void)
{
	char cmd[3000];
	scratch();
	CU_ASSERT_EQUAL(sp(NULL, "run good_join.ini -q -o a.gpkg"), 0);
	snprintf(cmd, sizeof(cmd),
	         "cd '%s' && for f in good_join.ini nohh.gpkg households.csv; do cp $f $f.copy && "
	         "touch -d '2001-02-03 04:05:06' $f.copy && mv $f.copy $f; done && mkdir copy c && "
	         "cp good_join.ini nohh.gpkg households.csv copy/",
	         dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	/* the same file name in other folders: the stored QGIS project names its
	 * own file, as QGIS does */
	CU_ASSERT_EQUAL(sp(NULL, "run good_join.ini -q -o copy/a.gpkg"), 0);
	char saved[700];
	snprintf(saved, sizeof(saved), "%s", dir);
	snprintf(dir, sizeof(dir), "%.600s/copy", saved);
	CU_ASSERT_EQUAL(sp(NULL, "run good_join.ini -q -o ../c/a.gpkg"), 0);
	snprintf(dir, sizeof(dir), "%s", saved);
	snprintf(cmd, sizeof(cmd), "cd '%s' && cmp a.gpkg copy/a.gpkg && cmp a.gpkg c/a.gpkg", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

void safety_suite_setup(void)
{
	CU_SUITE_ADD("safety", NULL, NULL, CU_TEST_ENTRY(test_output_is_input),
	             CU_TEST_ENTRY(test_output_format), CU_TEST_ENTRY(test_temp_private),
	             CU_TEST_ENTRY(test_write_failures), CU_TEST_ENTRY(test_flags),
	             CU_TEST_ENTRY(test_record_survives_copy));
}
