#!/bin/sh
# Streamlit's static files for nginx (deploy/nginx-zi-dashboard*.conf, location /static/):
#   sudo sh deploy/nginx-static.sh /opt/zi-dashboard/.venv/bin/python /var/lib/zi-dashboard/static
# copies the static folder of the Streamlit that PYTHON runs to DIR, with every script, style and
# SVG also gzip-compressed beside it once (nginx's gzip_static sends those as they are: no
# compression per request), and writes `root DIR;` to CONF (/etc/nginx/zi-dashboard-static.conf
# unless given), which the site includes.  Run it again after upgrading Streamlit: until then a
# page asks Streamlit itself for the files the copy does not have (try_files), so nothing breaks.
set -eu
python=$1
dir=$2
conf=${3:-/etc/nginx/zi-dashboard-static.conf}
src=$("$python" -c 'import pathlib, streamlit; print(pathlib.Path(streamlit.__file__).parent / "static")')
[ -f "$src/index.html" ] || { echo "no Streamlit static folder at $src" >&2; exit 1; }
rm -rf "$dir.new"
mkdir -p "$dir.new"
cp -R "$src/." "$dir.new/"
find "$dir.new" -type f \( -name '*.js' -o -name '*.css' -o -name '*.svg' \) -exec gzip -k -9 {} +
chmod -R a+rX "$dir.new"
rm -rf "$dir"
mv "$dir.new" "$dir"
echo "root $dir;" > "$conf"
