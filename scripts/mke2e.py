#!/usr/bin/python3
"""mke2e.py: build fixtures/e2e/, the inputs of the end-to-end suite (tests/cu_e2e.c).

Everything is derived from the demo district (fixtures/demo/units.gpkg,
Yinchuan 兴庆区, lon/lat EPSG:4326), measured in its working CRS EPSG:4544
(CGCS2000 3-degree Gauss-Kruger, CM 105E) and written back in lon/lat:

  existing.geojson     3 existing stations, each at the representative point
                       (GEOS PointOnSurface) of one urban community
  exclude.geojson      a 2.4 km square over the dense urban core (the
                       community with the most community centroids within
                       1.5 km), used with exclude_buffer_m = 50
  candidates.geojson   40 candidate sites: the representative points of the
                       37 communities nearest the core and of 3 villages
  units_points.gpkg    the demo units with every village as a point (its
                       representative point), communities unchanged
  scenario_*.ini       one scenario per case, units from ../demo/units.gpkg

The suite reads these files itself (it never repeats their coordinates).
Run from the repository root:

    /usr/bin/python3 scripts/mke2e.py [OUTDIR]     (default fixtures/e2e)

Output is deterministic (fixed OGR_CURRENT_DATE, coordinates rounded to
1e-7 degree), so regenerating gives the same files. Needs python3-gdal
(Debian's /usr/bin/python3).
"""
import os
import sys

from osgeo import ogr

import demo_fixture as df
from demo_fixture import TO_WORK, lonlat

OUT = sys.argv[1] if len(sys.argv) > 1 else "fixtures/e2e"
FIELDS = [("code", ogr.OFTString), ("name", ogr.OFTString), ("kind", ogr.OFTString),
          ("street", ogr.OFTString), ("district", ogr.OFTString),
          ("households", ogr.OFTInteger)]


def path(name):
    return os.path.join(OUT, name)


def lonlat_point(x, y):
    """A lon/lat point WKT for working-CRS (x, y), rounded to 1e-7 degree."""
    return f"POINT ({lonlat(x, y)})"


def write(name, rows, fields, driver="GeoJSON", layer=None, geom_type=ogr.wkbUnknown):
    """Write rows (dicts with the field values and 'wkt', lon/lat) to OUT/name."""
    df.write(path(name), layer or os.path.splitext(name)[0], rows, fields, driver, geom_type)


def ini(name, extra, units="../demo/units.gpkg"):
    with open(path(name), "w", encoding="utf-8") as f:
        f.write("; end-to-end fixture written by scripts/mke2e.py\n"
                "[input]\n"
                f"units = {units}\n"
                "units_layer = units\n"
                "id_field = code\n"
                "kind_field = kind\n"
                f"{extra}"
                "\n[rules]\n"
                "households_min = 3000\n"
                "households_max = 5000\n"
                "walk_distance_m = 1000\n"
                "\n[output]\n"
                "path = plan.gpkg\n")


def core(communities):
    """(x, y) of the dense core: the centroid of the community with the most
    community centroids within 1.5 km (ties: lowest code)."""
    cs = [c["work"].Centroid() for c in communities]
    best, best_n = None, -1
    for i, c in enumerate(cs):
        n = sum(1 for d in cs if c.Distance(d) <= 1500)
        if n > best_n:
            best, best_n = c, n
    return best.GetX(), best.GetY()


def main():
    os.makedirs(OUT, exist_ok=True)
    units = df.read_units([name for name, _ in FIELDS])
    communities = [u for u in units if u["kind"] == "community"]
    villages = [u for u in units if u["kind"] == "village"]
    pts = [("id", ogr.OFTString), ("name", ogr.OFTString)]

    # existing stations: 3 communities spread over the code order
    picks = [communities[i] for i in (0, len(communities) // 2, len(communities) - 1)]
    write("existing.geojson",
          [dict(id=f"E{i + 1}", name=u["name"], wkt=lonlat_point(*u["rep"]))
           for i, u in enumerate(picks)], pts)
    ini("scenario_existing.ini", "existing = existing.geojson\n")

    # exclusion: a square over the core; no village lies in it
    cx, cy = core(communities)
    h = 1200.0
    ring = [(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h), (cx - h, cy - h)]
    wkt = "POLYGON ((" + ",".join(lonlat(x, y) for x, y in ring) + "))"
    zone = ogr.CreateGeometryFromWkt(wkt)
    zone.Transform(TO_WORK)
    hit = [v["code"] for v in villages if v["work"].Intersects(zone.Buffer(50))]
    if hit:
        sys.exit(f"mke2e: exclusion square touches villages {hit}")
    write("exclude.geojson", [dict(id="core", name="dense core (test exclusion)", wkt=wkt)], pts)
    ini("scenario_exclude.ini", "exclude = exclude.geojson\nexclude_buffer_m = 50\n")

    # candidates: 37 communities nearest the core and 3 villages
    core_pt = ogr.CreateGeometryFromWkt(f"POINT ({cx} {cy})")
    near = sorted(communities, key=lambda u: (u["work"].Centroid().Distance(core_pt), u["code"]))
    chosen = near[:37] + [villages[0], villages[len(villages) // 2], villages[-1]]
    write("candidates.geojson",
          [dict(id=f"C{i + 1:02d}", name=u["name"], wkt=lonlat_point(*u["rep"]))
           for i, u in enumerate(chosen)], pts)
    ini("scenario_candidates.ini", "candidates = candidates.geojson\ncandidates_only = true\n")

    # villages as points
    rows = []
    for u in units:
        r = {name: u[name] for name, _ in FIELDS}
        r["wkt"] = lonlat_point(*u["rep"]) if u["kind"] == "village" else u["geom"].ExportToWkt()
        rows.append(r)
    write("units_points.gpkg", rows, FIELDS, driver="GPKG", layer="units")
    ini("scenario_points.ini", "", units="units_points.gpkg")


if __name__ == "__main__":
    main()
