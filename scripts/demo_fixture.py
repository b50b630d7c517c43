"""demo_fixture.py: what the fixture builders derived from the demo district share.

mke2e.py (fixtures/e2e) and mklevels.py (fixtures/levels) both read the demo
units (fixtures/demo/units.gpkg, lon/lat EPSG:4326), measure them in the
working CRS EPSG:4544 (CGCS2000 3-degree Gauss-Kruger, CM 105E) as
stationplan does, and write lon/lat layers back rounded to 1e-7 degree.
Needs python3-gdal (Debian's /usr/bin/python3).
"""
import os

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
gdal.SetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z")

DEMO = "fixtures/demo/units.gpkg"
WORK_EPSG = 4544


def srs(epsg):
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


LONLAT, WORK = srs(4326), srs(WORK_EPSG)
TO_WORK = osr.CoordinateTransformation(LONLAT, WORK)
TO_LONLAT = osr.CoordinateTransformation(WORK, LONLAT)


def read_units(names):
    """The demo units sorted by code, as dicts: the fields `names`, 'geom'
    (lon/lat), 'work' (working CRS) and 'rep' (the representative point,
    GEOS PointOnSurface in the working CRS, as stationplan computes it)."""
    ds = ogr.Open(DEMO)
    units = []
    for f in ds.GetLayerByName("units"):
        u = {name: f.GetField(name) for name in names}
        u["geom"] = f.GetGeometryRef().Clone()
        u["work"] = f.GetGeometryRef().Clone()
        u["work"].Transform(TO_WORK)
        p = u["work"].PointOnSurface()
        u["rep"] = (p.GetX(), p.GetY())
        units.append(u)
    return sorted(units, key=lambda u: u["code"])


def lonlat(x, y):
    """'lon lat' for working-CRS (x, y), rounded to 1e-7 degree."""
    lon, lat, _ = TO_LONLAT.TransformPoint(x, y)
    return f"{lon:.7f} {lat:.7f}"


def write(filename, layer, rows, fields, driver, geom_type):
    """Write rows (dicts with the field values and 'wkt', lon/lat) to
    filename, replacing it; a field a row lacks or holds None is left null."""
    if os.path.exists(filename):
        os.remove(filename)
    lco = ["COORDINATE_PRECISION=7"] if driver == "GeoJSON" else []
    ds = ogr.GetDriverByName(driver).CreateDataSource(filename)
    lyr = ds.CreateLayer(layer, LONLAT, geom_type, options=lco)
    for fname, ftype in fields:
        lyr.CreateField(ogr.FieldDefn(fname, ftype))
    for r in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        for fname, _ in fields:
            if r.get(fname) is not None:
                f.SetField(fname, r[fname])
        f.SetGeometry(ogr.CreateGeometryFromWkt(r["wkt"]))
        lyr.CreateFeature(f)
    ds = None
