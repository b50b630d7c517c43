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
"""
import math
import sys

from osgeo import ogr, osr

ogr.UseExceptions()
osr.UseExceptions()


def main():
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
