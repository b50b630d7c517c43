#!/usr/bin/python3
"""mklevels.py: build fixtures/levels/, the inputs of the upper-levels examples.

Everything is derived from the demo district (fixtures/demo/units.gpkg,
Yinchuan 兴庆区, lon/lat), measured in its working CRS EPSG:4544 and written
back in lon/lat:

  parcels.gpkg        land parcels (layer `parcels`, field `id`): in every
                      street an 80 m square (6,400 m2) at the representative
                      point of its most populous unit and a 50 m square
                      (2,500 m2) at its second; 月牙湖乡 gets only the small
                      one, and 掌政镇's big parcel is a self-crossing bow tie
                      (two 2,500 m2 triangles once repaired: 5,000 m2)
  candidates.geojson  8 candidate sites (`id` C01..C08): the representative
                      points of the 8 most populous communities
  existing_centres.geojson  1 built sorting centre (`id` E01) at the
                      representative point of the 9th most populous community
  units_admin.gpkg    the demo units with a field `admin_village`: the
                      villages of each street, by code, in administrative
                      villages of 3 (the last may hold fewer); NULL for
                      communities

The scenario files beside them (dalian.ini, yinchuan.ini, liaocheng.ini,
lianyungang.ini, ...) are written by hand. Run from the repository root:

    /usr/bin/python3 scripts/mklevels.py [OUTDIR]     (default fixtures/levels)

Deterministic (fixed OGR_CURRENT_DATE, coordinates rounded to 1e-7 degree).
"""
import os
import sys

from osgeo import ogr

import demo_fixture as df
from demo_fixture import lonlat

OUT = sys.argv[1] if len(sys.argv) > 1 else "fixtures/levels"


def path(name):
    return os.path.join(OUT, name)


def square(x, y, side):
    h = side / 2.0
    ring = [(x - h, y - h), (x + h, y - h), (x + h, y + h), (x - h, y + h), (x - h, y - h)]
    return "POLYGON ((" + ",".join(lonlat(a, b) for a, b in ring) + "))"


def bowtie(x, y, side):
    h = side / 2.0
    ring = [(x - h, y - h), (x + h, y + h), (x + h, y - h), (x - h, y + h), (x - h, y - h)]
    return "POLYGON ((" + ",".join(lonlat(a, b) for a, b in ring) + "))"


def write(name, layer, rows, fields, driver, geom_type):
    df.write(path(name), layer, rows, fields, driver, geom_type)


def main():
    os.makedirs(OUT, exist_ok=True)
    units = df.read_units(("code", "name", "kind", "street", "district", "households"))
    streets = sorted({u["street"] for u in units})
    parcels = []
    for s in streets:
        members = sorted((u for u in units if u["street"] == s),
                         key=lambda u: (-u["households"], u["code"]))
        big, small = members[0], members[1] if len(members) > 1 else members[0]
        n = len(parcels)
        if s != "月牙湖乡":
            shape = bowtie if s == "掌政镇" else square
            parcels.append({"id": f"P{n + 1:02d}", "wkt": shape(*big["rep"], 80 if shape is square else 100)})
        parcels.append({"id": f"P{len(parcels) + 1:02d}", "wkt": square(*small["rep"], 50)})
    write("parcels.gpkg", "parcels", parcels, [("id", ogr.OFTString)], "GPKG", ogr.wkbPolygon)

    comms = sorted((u for u in units if u["kind"] == "community"),
                   key=lambda u: (-u["households"], u["code"]))
    cands = [{"id": f"C{i + 1:02d}", "wkt": f"POINT ({lonlat(*u['rep'])})"}
             for i, u in enumerate(comms[:8])]
    write("candidates.geojson", "candidates", cands, [("id", ogr.OFTString)], "GeoJSON",
          ogr.wkbPoint)
    write("existing_centres.geojson", "existing_centres",
          [{"id": "E01", "wkt": f"POINT ({lonlat(*comms[8]['rep'])})"}],
          [("id", ogr.OFTString)], "GeoJSON", ogr.wkbPoint)

    rows = []
    for s in streets:
        villages = [u for u in units if u["street"] == s and u["kind"] == "village"]
        for i, v in enumerate(villages):
            v["admin_village"] = f"{s}-{i // 3 + 1:02d}"
    fields = [("code", ogr.OFTString), ("name", ogr.OFTString), ("kind", ogr.OFTString),
              ("street", ogr.OFTString), ("district", ogr.OFTString),
              ("households", ogr.OFTInteger), ("admin_village", ogr.OFTString)]
    for u in units:
        r = {k: u.get(k) for k, _ in fields}
        r["wkt"] = u["geom"].ExportToWkt()
        rows.append(r)
    write("units_admin.gpkg", "units", rows, fields, "GPKG", ogr.wkbMultiPolygon)


if __name__ == "__main__":
    main()
