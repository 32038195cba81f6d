#!/usr/bin/env bash
# Load benchmark: every page side by side with a static file, in interleaved rounds, with wrk.
#
#   bench/load.sh                                  # starts one gunicorn instance on SQLite + demo data
#   BASE_URL=http://127.0.0.1:55420 bench/load.sh  # measures a server that is already running (cluster.sh)
#
# Loopback only, bounded: ROUNDS x pages x DURATION seconds (default 3 x 9 x 5 s), 50 connections.
# Every request says `Accept-Encoding: gzip`, as every browser does (ACCEPT_ENCODING= to ask for
# uncompressed responses): the static file then comes as WhiteNoise's .gz, pages as the page cache's
# gzip copy.
# Per page: req/s over all rounds, median p50/p95/p99 over the rounds, non-2xx responses, socket
# errors, and the ratio of its req/s to the static file's in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-4}
PORT=${PORT:-55410}
TRACK=${TRACK:-/werksporen/atrium-centrumsteden/}
ACCEPT_ENCODING=${ACCEPT_ENCODING-gzip}
HEADER=(-H "Accept-Encoding: ${ACCEPT_ENCODING:-identity}")
PAGES=(/static/css/site.css / /jaarverslag/2024/ /jaarplan/2024/ /programmas/ "$TRACK" /kalender/
       "/zoeken/?q=klimaat" /jaarverslag/2024/pdf/)

command -v wrk >/dev/null || { echo "wrk ontbreekt: apt-get install -y wrk" >&2; exit 1; }
PY=$ROOT/.venv/bin/python
WORK=$(mktemp -d /tmp/kc-load-XXXXXX)
GUNICORN_PID=""

cleanup() {
  if [ -n "$GUNICORN_PID" ]; then kill -TERM "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${BASE_URL:-}" ]; then
  make -s install  # requirements.lock includes gunicorn
  export DJANGO_SECRET_KEY="load-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SECURE_SSL_REDIRECT=0
  export DJANGO_SQLITE_PATH=$WORK/db.sqlite3 DJANGO_PDF_CACHE_DIR=$WORK/pdf DJANGO_MEDIA_ROOT=$WORK/media
  export DJANGO_CACHE_DIR=$WORK/cache
  unset DATABASE_URL REDIS_URL
  echo "== single instance: SQLite, file cache, gunicorn $WORKERS sync workers on 127.0.0.1:$PORT"
  "$PY" manage.py migrate --noinput -v0
  "$PY" manage.py load_demo >/dev/null
  "$PY" manage.py collectstatic --noinput -v0
  .venv/bin/gunicorn kenniscentrum.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" --no-control-socket \
    --log-level warning >"$WORK/gunicorn.log" 2>&1 &
  GUNICORN_PID=$!
  BASE_URL=http://127.0.0.1:$PORT
  for _ in $(seq 300); do curl -fsS -o /dev/null "$BASE_URL/" 2>/dev/null && break; sleep 0.2; done
  if ! curl -fsS -o /dev/null "$BASE_URL/"; then
    echo "!! gunicorn did not come up on $BASE_URL within 60 s:" >&2; cat "$WORK/gunicorn.log" >&2; exit 1
  fi
fi
case "$BASE_URL" in http://127.0.0.1:*|http://localhost:*) ;; *) echo "BASE_URL must be on loopback" >&2; exit 1 ;; esac

echo "== warm-up (renders the PDF once, fills the page cache)"
for page in "${PAGES[@]}"; do
  printf '%-30s %s\n' "$page" "$(curl -sS "${HEADER[@]}" -o /dev/null -w '%{http_code} %{size_download}B' --max-time 120 "$BASE_URL$page")"
done

echo "== $ROUNDS rounds x ${#PAGES[@]} pages x ${DURATION}s, wrk -t$THREADS -c$CONNECTIONS, Accept-Encoding: ${ACCEPT_ENCODING:-identity}, against $BASE_URL"
RESULTS=$WORK/results.txt
for round in $(seq "$ROUNDS"); do
  for page in "${PAGES[@]}"; do
    line=$(timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s "${HEADER[@]}" \
      -s bench/wrk-report.lua "$BASE_URL$page" | grep '^RESULT' || echo "RESULT requests=0 seconds=$DURATION p50=0 p95=0 p99=0 non2xx=0 connect=0 read=0 write=0 timeout=1")
    echo "$page $line" >>"$RESULTS"
  done
  echo "   round $round done"
done

python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    page, _, *fields = line.split()
    values = dict(f.split("=") for f in fields)
    rows.setdefault(page, []).append({k: float(v) for k, v in values.items()})
static = next(iter(rows))
rate = {p: sum(r["requests"] for r in rs) / sum(r["seconds"] for r in rs) for p, rs in rows.items()}
print()
print("| page | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket errors | ratio to static |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for page, rs in rows.items():
    med = {k: statistics.median(r[k] for r in rs) for k in ("p50", "p95", "p99")}
    errors = sum(r["connect"] + r["read"] + r["write"] + r["timeout"] for r in rs)
    bad = sum(r["non2xx"] for r in rs)
    print(f"| `{page}` | {rate[page]:.0f} | {med['p50']:.1f} | {med['p95']:.1f} | {med['p99']:.1f} | {bad:.0f} | {errors:.0f} | {rate[page] / rate[static]:.2f} |")
PY
