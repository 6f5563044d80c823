#!/usr/bin/env sh
# Renders nginx.conf.template into <folder>/nginx.conf and prepares the folder to run nginx from:
#   examples/nginx/render.sh /tmp/keygate-nginx 127.0.0.1:8080 127.0.0.1:3000 acme.localhost 127.0.0.1:4000
#   nginx -p /tmp/keygate-nginx -c nginx.conf -g 'daemon off;'
set -eu
if [ "$#" -ne 5 ]; then
  echo "usage: $0 <folder> <listen addr:port> <keygate addr:port> <tenant host> <upstream addr:port>" >&2
  exit 2
fi
dir=$1
mkdir -p "$dir/tmp"
sed -e "s|@LISTEN@|$2|g" -e "s|@KEYGATE@|$3|g" -e "s|@KEYGATE_HOST@|$4|g" -e "s|@UPSTREAM@|$5|g" \
  "$(dirname "$0")/nginx.conf.template" >"$dir/nginx.conf"
echo "$dir/nginx.conf"
