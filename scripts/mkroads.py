#!/usr/bin/python3
"""mkroads.py: a deterministic street grid for the demo district (issue 17).

    scripts/mkroads.py UNITS.gpkg OUT.gpkg [SPACING_M]

Streets every SPACING_M metres (default 300) in UTM zone 48N (EPSG:32648,
on purpose another CRS than the units, so reading reprojects) over the
units' extent; a river meandering west to east through the middle cuts
every street it meets (40 m each side), except one bridge, the north-south
street nearest the centre, which crosses on a `bridge = 1` line. Every fifth
street is `primary`, the others `residential`; the east-west street just
north of the centre is `oneway = yes` (digitised west to east); one
north-south street in the east is a `motorway` (walkable only when the
scenario does not exclude it). Fields: highway, oneway, bridge, name.

Used by the roads e2e suite (fixtures/roads/roads.gpkg) and the README example
until tools/mkcity writes streets of its own.

    scripts/mkroads.py --river OUT.gpkg

writes instead the hand-built river town of the levels on streets
(fixtures/roads/river.gpkg, tests/cu_roads.c), in EPSG:32648 metres from
(500000, 4200000): layer `roads`, a street along the south bank (y = 0,
x 0..4000), one bridge (x = 3000, y 0..2000), a street along the north bank
(y = 2000) and an island street (y = 5000, x 1500..2500) joined to nothing;
layer `units`, two communities of 4,000 households south of the river
(x 700..1200 and 1200..1700, y -300..300); layer `sites`, one candidate
site in each, 10 m off the south street, at x = 1000 and 1400; layer
`transfer`, the transfer station candidates: A across the river (1000, 1990),
the nearest in a straight line (1,980 m from the first site) but 6,020 m
away on foot over the bridge; B on the south bank (3500, 10), 2,520 m and
2,120 m from the sites along the street; C on the island; D 2,600 m south
of every street (off the streets); layer `island`, C alone; layers `units3`
and `sites3`, the same plus a third community on the island (x 1800..2200,
y 4800..5200) with its site at (2000, 5010).
"""
import math
import sys

from osgeo import ogr, osr

ogr.UseExceptions()
osr.UseExceptions()


def river_town(out):
    x0, y0 = 500000.0, 4200000.0
    utm = osr.SpatialReference()
    utm.ImportFromEPSG(32648)
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(out)

    def layer(name, gtype, fields, rows):
        lyr = ds.CreateLayer(name, utm, gtype)
        for fname, ftype in fields:
            lyr.CreateField(ogr.FieldDefn(fname, ftype))
        for values, wkt in rows:
            f = ogr.Feature(lyr.GetLayerDefn())
            for (fname, _), v in zip(fields, values):
                f.SetField(fname, v)
            f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
            lyr.CreateFeature(f)

    def pt(x, y):
        return "POINT (%.1f %.1f)" % (x0 + x, y0 + y)

    def line(*xy):
        return "LINESTRING (%s)" % ", ".join("%.1f %.1f" % (x0 + x, y0 + y) for x, y in xy)

    def box(xa, ya, xb, yb):
        ring = [(xa, ya), (xb, ya), (xb, yb), (xa, yb), (xa, ya)]
        return "POLYGON ((%s))" % ", ".join("%.1f %.1f" % (x0 + x, y0 + y) for x, y in ring)

    layer("roads", ogr.wkbLineString, [("name", ogr.OFTString), ("highway", ogr.OFTString)], [
        (("south bank", "residential"), line((0, 0), (4000, 0))),
        (("bridge", "residential"), line((3000, 0), (3000, 2000))),
        (("north bank", "residential"), line((0, 2000), (4000, 2000))),
        (("island", "residential"), line((1500, 5000), (2500, 5000))),
    ])
    ufields = [("code", ogr.OFTString), ("name", ogr.OFTString), ("kind", ogr.OFTString),
               ("households", ogr.OFTInteger), ("district", ogr.OFTString),
               ("street", ogr.OFTString)]
    layer("units", ogr.wkbPolygon, ufields, [
        (("U1", "west", "community", 4000, "south", "bank"), box(700, -300, 1200, 300)),
        (("U2", "east", "community", 4000, "south", "bank"), box(1200, -300, 1700, 300)),
    ])
    layer("sites", ogr.wkbPoint, [("id", ogr.OFTString)],
          [(("S1",), pt(1000, 10)), (("S2",), pt(1400, 10))])
    places = [("A", 1000, 1990), ("B", 3500, 10), ("C", 2000, 5000), ("D", 1000, -2600)]
    layer("transfer", ogr.wkbPoint, [("id", ogr.OFTString)],
          [((n,), pt(x, y)) for n, x, y in places])
    layer("island", ogr.wkbPoint, [("id", ogr.OFTString)], [(("C",), pt(2000, 5000))])
    # a third community on the island, with its own site 10 m off its street
    layer("units3", ogr.wkbPolygon, ufields, [
        (("U1", "west", "community", 4000, "south", "bank"), box(700, -300, 1200, 300)),
        (("U2", "east", "community", 4000, "south", "bank"), box(1200, -300, 1700, 300)),
        (("U3", "island", "community", 4000, "south", "bank"), box(1800, 4800, 2200, 5200)),
    ])
    layer("sites3", ogr.wkbPoint, [("id", ogr.OFTString)],
          [(("S1",), pt(1000, 10)), (("S2",), pt(1400, 10)), (("S3",), pt(2000, 5010))])
    ds = None


def main():
    if sys.argv[1] == "--river":
        river_town(sys.argv[2])
        return
    units, out = sys.argv[1], sys.argv[2]
    spacing = float(sys.argv[3]) if len(sys.argv) > 3 else 300.0
    src = ogr.Open(units)
    lyr = src.GetLayer(0)
    wgs = osr.SpatialReference()
    wgs.ImportFromEPSG(4326)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    utm = osr.SpatialReference()
    utm.ImportFromEPSG(32648)
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(wgs, utm)
    x0, x1, y0, y1 = lyr.GetExtent()
    corners = [ct.TransformPoint(x, y)[:2] for x in (x0, x1) for y in (y0, y1)]
    xmin = math.floor(min(c[0] for c in corners) / spacing) * spacing - spacing
    xmax = math.ceil(max(c[0] for c in corners) / spacing) * spacing + spacing
    ymin = math.floor(min(c[1] for c in corners) / spacing) * spacing - spacing
    ymax = math.ceil(max(c[1] for c in corners) / spacing) * spacing + spacing
    xc, yc = (xmin + xmax) / 2, (ymin + ymax) / 2

    river = ogr.Geometry(ogr.wkbLineString)
    steps = 400
    for i in range(steps + 1):
        x = xmin + (xmax - xmin) * i / steps
        river.AddPoint_2D(x, yc + 0.15 * spacing + 1500.0 * math.sin(2 * math.pi * (x - xmin) / 12000.0))
    cut = river.Buffer(40.0, 8)

    nx = int(round((xmax - xmin) / spacing))
    ny = int(round((ymax - ymin) / spacing))
    bridge_i = int(round((xc - xmin) / spacing))
    oneway_j = int(round((yc - ymin) / spacing)) + 1
    motorway_i = nx - 3

    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(out)
    ol = ds.CreateLayer("roads", utm, ogr.wkbLineString)
    for name, t in (("name", ogr.OFTString), ("highway", ogr.OFTString),
                    ("oneway", ogr.OFTString), ("bridge", ogr.OFTInteger)):
        ol.CreateField(ogr.FieldDefn(name, t))

    def put(geom, name, highway, oneway, bridge):
        parts = [geom] if geom.GetGeometryType() == ogr.wkbLineString else \
            [geom.GetGeometryRef(k) for k in range(geom.GetGeometryCount())]
        for p in parts:
            if p.IsEmpty() or p.Length() < 1.0:
                continue
            f = ogr.Feature(ol.GetLayerDefn())
            f.SetField("name", name)
            f.SetField("highway", highway)
            f.SetField("oneway", oneway)
            f.SetField("bridge", bridge)
            f.SetGeometry(p)
            ol.CreateFeature(f)

    ol.StartTransaction()
    for i in range(nx + 1):
        x = xmin + i * spacing
        line = ogr.Geometry(ogr.wkbLineString)
        line.AddPoint_2D(x, ymin)
        line.AddPoint_2D(x, ymax)
        highway = "motorway" if i == motorway_i else "primary" if i % 5 == 0 else "residential"
        if i == bridge_i:
            # the bridge: its own line over the river, the street on both banks
            inter = line.Intersection(cut)
            put(line.Difference(cut), "NS %d" % i, highway, "no", 0)
            put(inter, "NS %d bridge" % i, highway, "no", 1)
        else:
            put(line.Difference(cut), "NS %d" % i, highway, "no", 0)
    for j in range(ny + 1):
        y = ymin + j * spacing
        line = ogr.Geometry(ogr.wkbLineString)
        line.AddPoint_2D(xmin, y)
        line.AddPoint_2D(xmax, y)
        highway = "primary" if j % 5 == 0 else "residential"
        put(line.Difference(cut), "EW %d" % j, highway, "yes" if j == oneway_j else "no", 0)
    ol.CommitTransaction()
    ds = None


if __name__ == "__main__":
    main()
