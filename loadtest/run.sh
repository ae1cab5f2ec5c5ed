#!/bin/sh
# The load test, end to end, on loopback: a fresh PostgreSQL database with the demo content,
# gunicorn serving the example site (DEBUG off, Redis cache when REDIS_URL is set), 50 clients
# for 120 seconds, then a check that every forum post the site accepted is in the database.
#
#   loadtest/run.sh                       # CLIENTS=50 DURATION=120 PORT=8765 WORKERS=5
#   CLIENTS=10 DURATION=20 loadtest/run.sh
#
# Needs: the package installed with its "test" and "bench" extras (gunicorn), PostgreSQL at
# PGURL (postgres://postgres@127.0.0.1:5432), optionally Redis at REDIS_URL.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
GUNICORN=${GUNICORN:-$ROOT/.venv/bin/gunicorn}
CLIENTS=${CLIENTS:-50}
DURATION=${DURATION:-120}
PORT=${PORT:-8765}
WORKERS=${WORKERS:-5}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
DB=${LOADTEST_DB:-wagtail_ar_loadtest}
RUN_ID=$(date +%s)
OUT=${OUT:-/tmp/wagtail-ar-loadtest-$RUN_ID}
mkdir -p "$OUT"

export DATABASE_URL="$PGURL/$DB"
export DJANGO_SETTINGS_MODULE=loadtest_settings
export PYTHONPATH="$ROOT/example_site:$ROOT/loadtest:$ROOT"

psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
"$PY" example_site/manage.py migrate -v 0
"$PY" example_site/manage.py load_demo > "$OUT/load_demo.log"
posts() {
  "$PY" example_site/manage.py shell -c \
    "from wagtail_ar.models import ForumPost; print(ForumPost.objects.count())" | tail -n 1
}
BEFORE=$(posts)

"$GUNICORN" example.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --pythonpath "$ROOT/example_site,$ROOT/loadtest" --access-logfile /dev/null \
  --error-logfile "$OUT/gunicorn.log" --timeout 60 &
GPID=$!
trap 'kill $GPID 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/api/v2/pages/', timeout=2)" 2>/dev/null && break
  sleep 1
done

STATUS=0
echo "[]" > "$OUT/accepted.json"
"$PY" loadtest/load.py --base "http://127.0.0.1:$PORT" --clients "$CLIENTS" \
  --duration "$DURATION" --run-id "$RUN_ID" --accepted-file "$OUT/accepted.json" \
  > "$OUT/summary.json" || STATUS=$?
kill $GPID; wait $GPID 2>/dev/null || true
cat "$OUT/summary.json"

AFTER=$(posts)
STORED=$("$PY" example_site/manage.py shell -c "
import json
from wagtail_ar.models import ForumPost
titles = json.load(open('$OUT/accepted.json'))
stored = set(ForumPost.objects.filter(title__in=titles).values_list('title', flat=True))
print(len(titles), len(stored), len(set(titles) - stored))" | tail -n 1)
set -- $STORED
echo "forum posts: before $BEFORE, after $AFTER; accepted $1, stored $2, lost $3"
if [ "$3" != 0 ] || [ $((AFTER - BEFORE)) -ne "$1" ]; then STATUS=1; fi
echo "logs in $OUT; exit status $STATUS"
exit $STATUS
