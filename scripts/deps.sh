#!/bin/sh
# deps.sh: install the Debian packages stationplan needs, only those missing.
# Does nothing (and needs no network) when everything is present. The list
# holds the libraries of the round-2 features too (igraph for street reach,
# Cairo/Pango/Noto CJK for reports, jansson and libxlsxwriter for tables,
# PostgreSQL 15 + PostGIS 3 for the database tests, clang for make fuzz,
# GNU time for make bench).
set -eu
pkgs="build-essential pkg-config libgdal-dev gdal-bin python3-gdal libproj-dev libgeos-dev \
libglpk-dev glpk-utils libcunit1-dev libinih-dev sqlite3 valgrind clang-format \
python3-qgis qgis-providers xauth time \
libigraph-dev libcairo2-dev libpango1.0-dev fonts-noto-cjk libjansson-dev libxlsxwriter-dev \
python3-openpyxl poppler-utils parallel postgresql-15-postgis-3 postgresql-15 \
clang libclang-rt-14-dev slurm-wlm"
missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "deps: missing packages:$missing (run as root or install sudo)" >&2; exit 1; }
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
