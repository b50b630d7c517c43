#!/usr/bin/python3
"""qgis_check.py: open a stationplan GeoPackage in real QGIS, headless.

usage: /usr/bin/python3 tests/qgis_check.py PLAN.gpkg OUT.png LAYER=COUNT...

For every LAYER=COUNT: the layer opens valid through QGIS's OGR provider
with COUNT features. For the map layers, the default style QGIS loaded from
the GeoPackage's layer_styles table is checked (renderer type, categories,
ranges, symbol layers, field aliases). Then the stations over their service
areas are rendered to OUT.png and the image must show station colours.

Prints one line per check; exits 0 when all pass, 1 otherwise. Needs
Debian's python3-qgis (QGIS 3.22); no display (QT_QPA_PLATFORM=offscreen)
and no QGIS profile (HOME points to a scratch folder) are needed.
"""
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HOME"] = tempfile.mkdtemp(prefix="qgis-home-")
os.environ.setdefault("XDG_RUNTIME_DIR", os.environ["HOME"])

from qgis.core import (QgsApplication, QgsMapRendererParallelJob,  # noqa: E402
                       QgsMapSettings, QgsRectangle, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def check_style(name, layer):
    """The default style loaded from layer_styles, per layer."""
    r = layer.renderer()
    rtype = r.type() if r else "none"
    if name == "stations":
        cats = [c.value() for c in r.categories()] if rtype == "categorizedSymbol" else []
        check(rtype == "categorizedSymbol" and r.classAttribute() == "kind"
              and cats == ["urban", "village", "existing", "kept"],
              "%s: valid, %d features, %s [%s]" % (name, layer.featureCount(), rtype,
                                                   ", ".join(cats)))
        colours = [c.symbol().color().name() for c in r.categories()] if cats else []
        check(len(set(colours)) == 4, "stations: four distinct colours %s" % colours)
        alias = layer.attributeAlias(layer.fields().indexOf("households"))
        check(alias == "Households served", "stations: field alias '%s'" % alias)
    elif name == "service_areas":
        sl = r.symbol().symbolLayer(0) if rtype == "singleSymbol" else None
        prop = sl.dataDefinedProperties().property(sl.PropertyFillColor) if sl else None
        check(prop is not None and prop.isActive() and "station_id" in prop.expressionString(),
              "service_areas: %s, fill colour per station" % rtype)
    elif name == "assignments":
        ranges = r.ranges() if rtype == "graduatedSymbol" else []
        check(rtype == "graduatedSymbol" and r.classAttribute() == "distance_m"
              and len(ranges) == 4,
              "assignments: %s on distance_m, %d ranges" % (rtype, len(ranges)))
    elif name == "links":
        sym = r.symbol() if rtype == "singleSymbol" else None
        check(sym is not None and sym.type() == 1 and sym.width() <= 0.3,
              "links: %s, thin line" % rtype)
    elif name == "uncovered":
        sym = r.symbol() if rtype == "singleSymbol" else None
        styles = [sym.symbolLayer(i).properties().get("style") for i in
                  range(sym.symbolLayerCount())] if sym else []
        check("b_diagonal" in styles and sym.symbolLayer(1).color().red() > 200,
              "uncovered: %s, red hatched %s" % (rtype, styles))


def render(gpkg, stations, areas, png):
    settings = QgsMapSettings()
    settings.setLayers([stations, areas])
    settings.setDestinationCrs(stations.crs())
    extent = QgsRectangle(areas.extent())
    extent.combineExtentWith(stations.extent())
    extent.scale(1.2)
    settings.setExtent(extent)
    settings.setOutputSize(QSize(600, 600))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    img.save(png, "PNG")
    coloured = urban = 0
    for y in range(0, img.height(), 2):
        for x in range(0, img.width(), 2):
            c = QColor(img.pixel(x, y))
            if (c.red(), c.green(), c.blue()) != (255, 255, 255):
                coloured += 1
            if abs(c.red() - 31) < 8 and abs(c.green() - 120) < 8 and abs(c.blue() - 180) < 8:
                urban += 1
    check(os.path.getsize(png) > 1000 and coloured > 0 and urban > 0,
          "rendered stations: %s, %d non-background and %d urban-station pixels sampled"
          % (png, coloured, urban))


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    gpkg, png = argv[1], argv[2]
    expected = dict((a.split("=")[0], int(a.split("=")[1])) for a in argv[3:])
    app = QgsApplication([], False)
    app.initQgis()
    layers = {}
    for name, count in expected.items():
        layer = QgsVectorLayer("%s|layername=%s" % (gpkg, name), name, "ogr")
        layers[name] = layer
        if not layer.isValid():
            check(False, "%s: valid" % name)
            continue
        if name in ("stations", "service_areas", "assignments", "links", "uncovered"):
            check(layer.featureCount() == count,
                  "%s: %d features (expected %d)" % (name, layer.featureCount(), count))
            check_style(name, layer)
        else:
            check(layer.featureCount() == count,
                  "%s: valid, %d features (expected %d)" % (name, layer.featureCount(), count))
    if "stations" in layers and "service_areas" in layers and layers["stations"].isValid():
        render(gpkg, layers["stations"], layers["service_areas"], png)
    print("%d failed" % len(failures))
    sys.stdout.flush()
    # QGIS 3.22 may crash tearing down its application object after
    # rendering; the checks are done, so leave without the teardown.
    os._exit(1 if failures else 0)


if __name__ == "__main__":
    main(sys.argv)
