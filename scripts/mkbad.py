#!/usr/bin/python3
"""mkbad.py: build fixtures/bad/, the small input files the reader tests use.

Each bad case is a minimal change to one good baseline (six units near
Liaocheng, Shandong: four communities, two villages), so a test failing on
it points at exactly one thing. The good_* files are the positive controls
(GeoPackage, GeoJSON in lon/lat, GBK shapefile, CSV join, point units, a
bow-tie polygon to repair). Run from the repository root:

    /usr/bin/python3 scripts/mkbad.py [OUTDIR]     (default fixtures/bad)

Output is deterministic (fixed OGR_CURRENT_DATE), so regenerating gives the
same files. Needs python3-gdal (Debian's /usr/bin/python3).
"""
import os
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
gdal.SetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z")

OUT = sys.argv[1] if len(sys.argv) > 1 else "fixtures/bad"

LON0, LAT0, STEP = 115.970, 36.440, 0.006  # Liaocheng, CGCS2000 GK zone CM 117E

# code, name, kind, district, street, households, (col, row) on a 3x2 grid
UNITS = [
    ("371502001001", "古城社区居委会", "community", "东昌府区", "古楼街道", 3200, (0, 0)),
    ("371502001002", "湖南社区居委会", "community", "东昌府区", "古楼街道", 2800, (1, 0)),
    ("371502001003", "文轩社区居委会", "community", "东昌府区", "古楼街道", 4100, (2, 0)),
    ("371502002001", "铁塔社区居委会", "community", "东昌府区", "柳园街道", 1500, (0, 1)),
    ("371502100201", "王庄村民委员会", "village", "东昌府区", "侯营镇", 420, (1, 1)),
    ("371502100202", "李庄村民委员会", "village", "东昌府区", "侯营镇", 380, (2, 1)),
]


def square(col, row, size=STEP * 0.9):
    x, y = LON0 + col * STEP, LAT0 + row * STEP
    return f"POLYGON(({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y}))"


def centre(col, row):
    return f"POINT({LON0 + col * STEP + STEP * 0.45} {LAT0 + row * STEP + STEP * 0.45})"


def srs(epsg):
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def path(name):
    return os.path.join(OUT, name)


def remove(name):
    """Delete OUT/name (and a shapefile's sidecar files) if present."""
    stem, ext = os.path.splitext(path(name))
    for e in (".shp", ".shx", ".dbf", ".prj", ".cpg") if ext == ".shp" else (ext,):
        if os.path.exists(stem + e):
            os.remove(stem + e)


def write(name, rows, driver="GPKG", layer="units", epsg=4326, geom_type=ogr.wkbUnknown,
          fields=None, lco=None):
    """Write rows (dicts with the field values and 'wkt') to OUT/name."""
    remove(name)
    fields = fields or [("code", ogr.OFTString), ("name", ogr.OFTString),
                        ("kind", ogr.OFTString), ("district", ogr.OFTString),
                        ("street", ogr.OFTString), ("households", ogr.OFTInteger)]
    ds = ogr.GetDriverByName(driver).CreateDataSource(path(name))
    lyr = ds.CreateLayer(layer, srs(epsg) if epsg else None, geom_type, options=lco or [])
    for fname, ftype in fields:
        lyr.CreateField(ogr.FieldDefn(fname, ftype))
    for r in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        for fname, _ in fields:
            if fname in r and r[fname] is not None:
                f.SetField(fname, r[fname])
            elif fname in r:
                f.SetFieldNull(fname)
        if r.get("wkt") is not None:
            f.SetGeometry(ogr.CreateGeometryFromWkt(r["wkt"]))
        lyr.CreateFeature(f)
    ds = None


def rows(point=False):
    return [dict(code=c, name=n, kind=k, district=d, street=s, households=h,
                 wkt=centre(*cell) if point else square(*cell))
            for c, n, k, d, s, h, cell in UNITS]


def ini(name, text):
    with open(path(name), "w", encoding="utf-8") as f:
        f.write(text.lstrip("\n"))


def csv(name, lines, bom=False, eol="\r\n"):
    with open(path(name), "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        f.write(eol.join(lines) + eol)


def main():
    os.makedirs(OUT, exist_ok=True)
    base = "[input]\nunits = {units}\n{extra}\n[rules]\nwalk_distance_m = 1000\n"

    # --- good baselines ---------------------------------------------------
    write("good.gpkg", rows(), geom_type=ogr.wkbPolygon)
    ini("good.ini", base.format(units="good.gpkg", extra="units_layer = units"))

    # lon/lat GeoJSON, no kind field: kind inferred from the names
    r = rows()
    for x in r:
        del x["kind"]
    write("good_lonlat.geojson", r, driver="GeoJSON",
          fields=[("code", ogr.OFTString), ("name", ogr.OFTString), ("district", ogr.OFTString),
                  ("street", ogr.OFTString), ("households", ogr.OFTInteger)])
    ini("good_lonlat.ini", base.format(units="good_lonlat.geojson", extra=""))

    # GBK shapefile without .cpg: needs units_open_options = ENCODING=CP936
    write("gbk.shp", rows(), driver="ESRI Shapefile", layer="gbk", geom_type=ogr.wkbPolygon,
          lco=["ENCODING=CP936"])
    os.remove(path("gbk.cpg"))
    with open(path("gbk.dbf"), "r+b") as f:  # no language driver id either
        f.seek(29)
        f.write(b"\0")
    ini("good_gbk.ini", base.format(units="gbk.shp", extra="units_open_options = ENCODING=CP936"))
    ini("bad_encoding.ini", base.format(units="gbk.shp", extra=""))

    # households in a CSV (UTF-8 with BOM), joined on code
    r = rows()
    for x in r:
        del x["households"]
    nohh = [("code", ogr.OFTString), ("name", ogr.OFTString), ("kind", ogr.OFTString),
            ("district", ogr.OFTString), ("street", ogr.OFTString)]
    write("nohh.gpkg", r, fields=nohh)
    csv("households.csv", ["code,hh"] + [f"{u[0]},{u[5]}" for u in UNITS], bom=True)
    ini("good_join.ini", base.format(
        units="nohh.gpkg", extra="households_table = households.csv\nhouseholds_field = hh"))
    # two units without a row, one row without a unit
    csv("households_partial.csv", ["code,hh"] + [f"{u[0]},{u[5]}" for u in UNITS[:4]]
        + ["371502999999,10"], eol="\n")
    ini("bad_join.ini", base.format(
        units="nohh.gpkg", extra="households_table = households_partial.csv\nhouseholds_field = hh"))

    # villages as points
    write("good_points.geojson", rows(point=True), driver="GeoJSON")
    ini("good_points.ini", base.format(units="good_points.geojson", extra=""))

    # a bow-tie (self-intersecting) polygon, repaired with MakeValid
    r = rows()
    x, y, s = LON0, LAT0, STEP * 0.9
    r[0]["wkt"] = f"POLYGON(({x} {y},{x + s} {y + s},{x + s} {y},{x} {y + s},{x} {y}))"
    write("bowtie.gpkg", r)
    ini("good_bowtie.ini", base.format(units="bowtie.gpkg", extra=""))

    # existing stations and candidates (points), an exclusion polygon
    write("existing.geojson", [dict(id="S1", wkt=centre(0, 0)), dict(id="S2", wkt=centre(2, 1))],
          driver="GeoJSON", fields=[("id", ogr.OFTString)])
    write("exclude.geojson", [dict(id="lake", wkt=square(1, 0, STEP * 0.3))], driver="GeoJSON",
          fields=[("id", ogr.OFTString)])
    ini("good_extra.ini", base.format(
        units="good.gpkg",
        extra="existing = existing.geojson\ncandidates = existing.geojson\n"
              "exclude = exclude.geojson\nexclude_buffer_m = 50"))

    # --- bad data ---------------------------------------------------------
    ini("bad_nofile.ini", base.format(units="nosuch.gpkg", extra=""))
    ini("bad_layer.ini", base.format(units="good.gpkg", extra="units_layer = communities"))
    ini("bad_field.ini", base.format(units="good.gpkg", extra="households_field = hh"))

    # households as text: non-numeric, null, negative
    r = rows()
    r[1]["households"], r[2]["households"], r[3]["households"] = "abc", None, "-3"
    fields = [("code", ogr.OFTString), ("name", ogr.OFTString), ("kind", ogr.OFTString),
              ("district", ogr.OFTString), ("street", ogr.OFTString),
              ("households", ogr.OFTString)]
    write("households.gpkg", r, fields=fields)
    ini("bad_households.ini", base.format(units="households.gpkg", extra=""))

    r = rows()
    r[4]["code"] = r[1]["code"]
    write("dupid.gpkg", r)
    ini("bad_dupid.ini", base.format(units="dupid.gpkg", extra=""))

    write("nocrs.shp", rows(), driver="ESRI Shapefile", layer="nocrs", epsg=None,
          geom_type=ogr.wkbPolygon, lco=["ENCODING=UTF-8"])
    ini("bad_nocrs.ini", base.format(units="nocrs.shp", extra=""))

    r = rows()
    x, y = LON0 + 2 * STEP, LAT0 + STEP
    r[1]["wkt"] = None
    r[2]["wkt"] = "POLYGON EMPTY"
    r[3]["wkt"] = f"POLYGON(({x} {y},{x + STEP} {y},{x + 2 * STEP} {y},{x} {y}))"
    write("geometry.gpkg", r)
    ini("bad_geometry.ini", base.format(units="geometry.gpkg", extra=""))

    r = rows()
    r[2]["kind"] = "farm"
    write("kind.gpkg", r)
    ini("bad_kind.ini", base.format(units="kind.gpkg", extra=""))
    r = rows()
    for x in r:
        del x["kind"]
    r[5]["name"] = "侯营农场"
    write("kindname.geojson", r, driver="GeoJSON",
          fields=[("code", ogr.OFTString), ("name", ogr.OFTString), ("district", ogr.OFTString),
                  ("street", ogr.OFTString), ("households", ogr.OFTInteger)])
    ini("bad_kindname.ini", base.format(units="kindname.geojson", extra=""))

    # --- bad scenarios ----------------------------------------------------
    ini("bad_syntax.ini", "[input]\nunits = good.gpkg\nhouseholds_min 3000\n[rules\n"
        "walk_distance_m = 800\n")
    ini("bad_key.ini", "[input]\nunits = good.gpkg\n\n[rules]\nwalk_distanse_m = 800\n"
        "walk_distance = 800\npath = x.gpkg\n[rule]\nseed = 2\n")
    ini("bad_minmax.ini", base.format(units="good.gpkg", extra="")
        + "households_min = 6000\nhouseholds_max = 5000\n")
    ini("bad_walk.ini", "[input]\nunits = good.gpkg\n[rules]\nwalk_distance_m = 0\n")
    ini("bad_values.ini", "[input]\nunits = good.gpkg\ncandidates_only = maybe\n[rules]\n"
        "households_max = lots\nobjective = fastest\n[solver]\nmip_gap = 0.01.2\n")


if __name__ == "__main__":
    main()
