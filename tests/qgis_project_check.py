#!/usr/bin/python3
"""qgis_project_check.py: open the QGIS project stored in a stationplan
GeoPackage (the qgis_projects table), headless, in real QGIS 3.22.

usage: /usr/bin/python3 tests/qgis_project_check.py PLAN.gpkg OUT.png [LAYER...]

Checks: the project 'stationplan' loads from
geopackage:PLAN.gpkg?projectName=stationplan; it has one layer per LAYER
given (in that order in the layer tree, top first), every layer valid; its
default view extent covers the stations; a render of the visible layers to
OUT.png over that extent is not blank (non-white pixels and several
colours). Prints one line per check and "N failed"; exits 0 when all pass.
"""
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HOME"] = tempfile.mkdtemp(prefix="qgis-home-")
os.environ.setdefault("XDG_RUNTIME_DIR", os.environ["HOME"])

from qgis.core import (QgsApplication, QgsMapRendererParallelJob,  # noqa: E402
                       QgsMapSettings, QgsProject)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    gpkg, png, expected = os.path.abspath(argv[1]), argv[2], argv[3:]
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    ok = project.read("geopackage:%s?projectName=stationplan" % gpkg)
    check(ok, "project loads from %s" % gpkg)
    tree = [n.layer() for n in project.layerTreeRoot().findLayers()]
    names = [l.source().split("layername=")[-1] if l else "?" for l in tree]
    check(names == expected, "layer tree order %s" % names)
    for layer, name in zip(tree, names):
        check(layer is not None and layer.isValid(),
              "%s: valid, %d features" % (name, layer.featureCount() if layer else -1))
    stations = project.mapLayersByName(tree[0].name())[0] if tree else None
    if stations is not None:
        lab = stations.labeling().settings() if stations.labeling() else None
        check(stations.labelsEnabled() and lab is not None and lab.isExpression
              and "station_id" in lab.fieldName and "households" in lab.fieldName
              and lab.scaleVisibility and lab.minimumScale == 50000,
              "stations: labels %s up to 1:%d" % (lab.fieldName if lab else None,
                                                  lab.minimumScale if lab else 0))
        cats = stations.renderer().categories()  # keep the copies alive
        symbol = cats[0].symbol()
        sym = symbol.symbolLayer(0)
        prop = sym.dataDefinedProperties().property(sym.PropertyStrokeColor)
        check(prop.isActive() and "underfilled" in prop.expressionString(),
              "stations: underfilled outlined (%s)" % prop.expressionString())
    extent = project.viewSettings().defaultViewExtent()
    check(stations is not None and not extent.isEmpty() and
          extent.contains(stations.extent()),
          "view extent %s covers the stations" % extent.toString(0))
    visible = [n.layer() for n in project.layerTreeRoot().findLayers()
               if n.isVisible() and n.layer().isSpatial()]
    settings = QgsMapSettings()
    settings.setLayers(visible)
    settings.setDestinationCrs(project.crs())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(500, 500))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    img.save(png, "PNG")
    coloured, colours = 0, set()
    for y in range(0, img.height(), 3):
        for x in range(0, img.width(), 3):
            c = QColor(img.pixel(x, y))
            rgb = (c.red(), c.green(), c.blue())
            if rgb != (255, 255, 255):
                coloured += 1
            colours.add(rgb)
    check(coloured > 1000 and len(colours) > 20,
          "render %s: %d non-white pixels sampled, %d colours" % (png, coloured, len(colours)))
    print("%d failed" % len(failures))
    sys.stdout.flush()
    os._exit(1 if failures else 0)


if __name__ == "__main__":
    main(sys.argv)
