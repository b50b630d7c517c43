#!/usr/bin/python3
"""mkdense_roads.py: a dense synthetic city with streets, for the street bench.

    scripts/mkdense_roads.py OUT_DIR [BLOCKS] [STREET_M]

Writes OUT_DIR/units.gpkg (BLOCKS x BLOCKS communities, default 32 x 32 =
1,024, each a 400 m square with 1,500-4,500 households from a fixed LCG,
EPSG:32648), OUT_DIR/roads.gpkg (a street grid every STREET_M metres,
default 80, which GEOS nodes into about 50,000 segments; a river along the
middle row cuts every north-south street except three bridges) and
OUT_DIR/scenario.ini (contract defaults, solver.time_limit_s = 30). Used by
scripts/bench_roads.sh until tools/mkcity writes streets for its cities.
"""
import os
import sys

from osgeo import ogr, osr

ogr.UseExceptions()
osr.UseExceptions()

BLOCK = 400.0
X0, Y0 = 600000.0, 4200000.0


def lcg(state):
    state[0] = (state[0] * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (state[0] >> 11) / float(1 << 53)


def main():
    out = sys.argv[1]
    nb = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    step = float(sys.argv[3]) if len(sys.argv) > 3 else 80.0
    os.makedirs(out, exist_ok=True)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32648)
    drv = ogr.GetDriverByName("GPKG")

    ds = drv.CreateDataSource(os.path.join(out, "units.gpkg"))
    lyr = ds.CreateLayer("units", srs, ogr.wkbPolygon)
    for name, t in (("code", ogr.OFTString), ("name", ogr.OFTString), ("kind", ogr.OFTString),
                    ("street", ogr.OFTString), ("district", ogr.OFTString),
                    ("households", ogr.OFTInteger)):
        lyr.CreateField(ogr.FieldDefn(name, t))
    st = [1]
    lyr.StartTransaction()
    for j in range(nb):
        for i in range(nb):
            x, y = X0 + i * BLOCK, Y0 + j * BLOCK
            ring = ogr.Geometry(ogr.wkbLinearRing)
            for px, py in ((x, y), (x + BLOCK, y), (x + BLOCK, y + BLOCK), (x, y + BLOCK), (x, y)):
                ring.AddPoint_2D(px, py)
            poly = ogr.Geometry(ogr.wkbPolygon)
            poly.AddGeometry(ring)
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetField("code", "D%04d" % (j * nb + i))
            f.SetField("name", "第%d社区" % (j * nb + i))
            f.SetField("kind", "community")
            f.SetField("street", "S%02d" % (j // 4))
            f.SetField("district", "dense")
            f.SetField("households", 1500 + int(3000 * lcg(st)))
            f.SetGeometry(poly)
            lyr.CreateFeature(f)
    lyr.CommitTransaction()
    ds = None

    ds = drv.CreateDataSource(os.path.join(out, "roads.gpkg"))
    lyr = ds.CreateLayer("roads", srs, ogr.wkbLineString)
    lyr.CreateField(ogr.FieldDefn("highway", ogr.OFTString))
    lyr.CreateField(ogr.FieldDefn("oneway", ogr.OFTString))
    side = nb * BLOCK
    n = int(side / step)
    ymid = Y0 + side / 2 + step / 2
    bridges = {n // 4, n // 2, 3 * n // 4}

    def put(coords):
        line = ogr.Geometry(ogr.wkbLineString)
        for px, py in coords:
            line.AddPoint_2D(px, py)
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("highway", "residential")
        f.SetField("oneway", "no")
        f.SetGeometry(line)
        lyr.CreateFeature(f)

    lyr.StartTransaction()
    for i in range(n + 1):
        x = X0 + i * step
        if i in bridges:
            put(((x, Y0), (x, Y0 + side)))
        else:  # the river (20 m each side of ymid) cuts the street
            put(((x, Y0), (x, ymid - 20)))
            put(((x, ymid + 20), (x, Y0 + side)))
    for j in range(n + 1):
        y = Y0 + j * step
        put(((X0, y), (X0 + side, y)))
    lyr.CommitTransaction()
    ds = None

    with open(os.path.join(out, "scenario.ini"), "w") as f:
        f.write("; dense synthetic city for the street bench (scripts/mkdense_roads.py)\n"
                "[input]\nunits = units.gpkg\nid_field = code\nroads = roads.gpkg\n\n"
                "[rules]\nhouseholds_min = 3000\nhouseholds_max = 5000\n"
                "walk_distance_m = 1000\n\n[solver]\ntime_limit_s = 30\n\n"
                "[output]\npath = plan.gpkg\n")


if __name__ == "__main__":
    main()
