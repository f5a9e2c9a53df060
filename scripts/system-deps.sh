#!/bin/sh
# Install the Debian packages Tend's tests need, only when something is missing.
# Chromium drives the browser tests; Pango renders WeasyPrint's PDFs; poppler reads them back.
set -e
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing="$missing libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
fc-list 2>/dev/null | grep -qi dejavu || missing="$missing fonts-dejavu-core"
# Redis: the outage drill (tend/core/tests/test_redis_outage.py) cuts a proxy in front of it.
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
# GNU gettext: the translation tests read the marked strings with xgettext (make messages too).
command -v xgettext >/dev/null 2>&1 || missing="$missing gettext"
[ -z "$missing" ] && exit 0
echo "Installing system packages:$missing"
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
