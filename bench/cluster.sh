#!/usr/bin/env bash
# Two app servers behind nginx on one machine, all on 127.0.0.1 and bounded in time:
# a throwaway PostgreSQL, Redis, gunicorn instances A and B sharing the database, the cache and the
# media/PDF directories, a task worker (manage.py db_worker) rendering PDFs ahead, and nginx
# (deploy/nginx.conf: page cache, balancing between A and B). Then:
#   1. edits a work track through instance A's admin (real login and POST) and shows that instance B
#      serves the new title at once and nginx within a second;
#   2. (MEASURE=1, the default) measures, each in the same run:
#        - nginx serving the bytes of /jaarverslag/2024/ as a static file (a second nginx, same settings),
#          and the cached public pages and the PDF through nginx and the instances, ROUNDS x
#          MEASURE_SECONDS of wrk -t2 -c50 each, interleaved; each one's ratio to the static file;
#        - freshness: 20 edits through A's admin, time until nginx serves each (bench/freshness.py);
#        - publication day: 30 s of wrk through nginx on the cached pages while an editor saves every
#          2 s through A, next to 10 s of the same load without saves;
#   3. (LOAD=1 only) runs bench/load.sh through nginx;
#   4. (FAULTS=1, the default) puts the cluster under faults, each during DURATION seconds of wrk load
#      through nginx on a mix of cached pages and pages rendered from the database (a session cookie
#      skips nginx's cache and the app's validators):
#        no fault                    the baseline
#        PDF storage unwritable      chattr +i on the shared PDF directory; 3 PDF downloads that must render
#        PostgreSQL restart (during) pg_ctl restart -m fast while the load runs
#        PostgreSQL after restart    a restart while idle (every worker keeps a dead connection), then load
#        Redis stopped               Redis stopped for 3 s during the load, then started again
#        instance A killed           kill -KILL of A's process group during the load
# and prints its tables, then its last lines:
#   FAULTS non2xx=<N>                  (FAULTS=1) the non-2xx of the PDF, PostgreSQL-after-restart and Redis runs (goal 0)
#   RATIO min_page_to_nginx_static=<x> (MEASURE=1) the lowest ratio of a cached page or the PDF to the static file (goal >= 0.5)
#   FRESH max_seconds=<y>              (MEASURE=1) the longest an edit took to be served by nginx (goal <= 1)
#   ERRORS <n>                         (MEASURE=1) non-2xx responses and socket errors of all measurement runs (goal 0)
# Everything started here is stopped and removed on exit (trap), also on Ctrl-C or the time limit;
# nothing outlives the script. Take the suite lock: flock /tmp/kc-suite.lock bench/cluster.sh
#
#   PORT_BASE=18100 bench/cluster.sh      # ports PORT_BASE+11/12 (A/B), +20 (nginx), +21 (static nginx), +30 (PostgreSQL), +31 (Redis)
#   DURATION, ROUNDS, MEASURE_SECONDS, FRESH_EDITS, WORKERS_PER_INSTANCE, MAX_SECONDS, MEASURE=0, FAULTS=0, LOAD=1 to tune
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

MAX_SECONDS=${MAX_SECONDS:-900}
DURATION=${DURATION:-10}
WORKERS_PER_INSTANCE=${WORKERS_PER_INSTANCE:-2}
PORT_BASE=${PORT_BASE:-55400}
PORT_A=$((PORT_BASE + 11)) PORT_B=$((PORT_BASE + 12)) NGINX_PORT=$((PORT_BASE + 20)) STATIC_PORT=$((PORT_BASE + 21))
MEASURE=${MEASURE:-1} FAULTS=${FAULTS:-1} ROUNDS=${ROUNDS:-2} MEASURE_SECONDS=${MEASURE_SECONDS:-5} FRESH_EDITS=${FRESH_EDITS:-20}
PG_PORT=$((PORT_BASE + 30)) REDIS_PORT=$((PORT_BASE + 31))
TRACK_SLUG=${TRACK_SLUG:-atrium-centrumsteden}
STAFF_USER=bench-redactie
# The load: pages from the page cache, and the same pages rendered from the database ("!").
MIX=(/ /jaarverslag/2024/ /programmas/ "/werksporen/$TRACK_SLUG/" /kalender/ /werkgroepen/
     '!/' '!/programmas/' "!/werksporen/$TRACK_SLUG/" '!/kalender/' '!/werkgroepen/' '!/steden/')
PDFS=(/jaarverslag/2024/pdf/ /jaarplan/2024/pdf/ /jaarverslag/2025/pdf/)
# The measured pages: what anonymous visitors read most, and the PDF.
PAGES=(/ /programmas/ "/werksporen/$TRACK_SLUG/" "/zoeken/?q=klimaat" /kalender/ /jaarverslag/2024/ /jaarplan/2024/
       /jaarverslag/2024/pdf/)

# --- system packages ------------------------------------------------------------------------------
need=()
for pkg in postgresql redis-server nginx wrk e2fsprogs; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "== apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
make -s install  # requirements.lock includes gunicorn
PY=$ROOT/.venv/bin/python
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# --- cleanup, whatever happens ----------------------------------------------------------------------
D=$(mktemp -d /tmp/kc-cluster-XXXXXX)
chmod 711 "$D"
PID_A="" PID_B="" PID_WORKER="" WATCHDOG=""
cleanup() {
  set +e
  echo "== cleanup"
  [ -f "$D/nginx.conf" ] && nginx -p "$D/nginx" -c "$D/nginx.conf" -s quit 2>/dev/null
  [ -f "$D/static/nginx.conf" ] && nginx -p "$D/static" -c "$D/static/nginx.conf" -s quit 2>/dev/null
  for pid in $PID_A $PID_B $PID_WORKER; do kill -TERM -- "-$pid" 2>/dev/null; done
  [ -f "$D/redis.pid" ] && kill "$(cat "$D/redis.pid")" 2>/dev/null
  [ -d "$D/pg/data" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/pg/data" -m fast -w stop >/dev/null 2>&1
  [ -d "$D/shared/pdf" ] && chattr -i "$D/shared/pdf" 2>/dev/null
  sleep 1
  for pid in $PID_A $PID_B $PID_WORKER; do kill -KILL -- "-$pid" 2>/dev/null; done
  # The watchdog stops its own sleep when told (see watchdog), so nothing keeps the caller's output open.
  if [ -n "$WATCHDOG" ]; then kill -TERM "$WATCHDOG" 2>/dev/null; wait "$WATCHDOG" 2>/dev/null; fi
  rm -rf "$D"
  local left
  left=$(ss -Hltn 2>/dev/null | awk '{print $4}' | grep -E ":($PORT_A|$PORT_B|$NGINX_PORT|$STATIC_PORT|$PG_PORT|$REDIS_PORT)\$" || true)
  if [ -n "$left" ]; then echo "!! still listening: $left" >&2; else echo "   nothing left running on the cluster's ports"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
watchdog() {  # runs in a subshell; TERM stops its sleep too
  local sleeper
  sleep "$MAX_SECONDS" & sleeper=$!
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  wait "$sleeper"
  echo "!! time limit of ${MAX_SECONDS}s reached, stopping" >&2
  kill -TERM $$
}
watchdog >/dev/null &
WATCHDOG=$!

# --- PostgreSQL and Redis ---------------------------------------------------------------------------
echo "== PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT (throwaway, in $D)"
mkdir -p "$D/pg/data" "$D/pg/run"
chown -R postgres:postgres "$D/pg" && chmod 700 "$D/pg/data"
runuser -u postgres -- "$PGBIN/initdb" -D "$D/pg/data" -U postgres -E UTF8 --locale=C.UTF-8 \
  --auth-local=trust --auth-host=scram-sha-256 >/dev/null
pg() { runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/pg/data" -l "$D/pg/run/pg.log" "$@" >/dev/null; }
pg -o "-k $D/pg/run -h 127.0.0.1 -p $PG_PORT" -w start
PGPASS=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
runuser -u postgres -- psql -q -h "$D/pg/run" -p $PG_PORT -U postgres \
  -c "CREATE ROLE kc LOGIN PASSWORD '$PGPASS'" -c "CREATE DATABASE kc OWNER kc"
start_redis() {
  redis-server --bind 127.0.0.1 --port $REDIS_PORT --save "" --appendonly no --daemonize yes \
    --pidfile "$D/redis.pid" --dir "$D" --logfile "$D/redis.log"
  for _ in $(seq 50); do redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 && return; sleep 0.1; done
}
start_redis

# --- the site: one configuration, two instances -----------------------------------------------------
mkdir -p "$D/shared/media" "$D/shared/pdf"
export DATABASE_URL="postgres://kc:$PGPASS@127.0.0.1:$PG_PORT/kc"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export DJANGO_SECRET_KEY="cluster-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_MEDIA_ROOT=$D/shared/media DJANGO_PDF_CACHE_DIR=$D/shared/pdf
export DJANGO_STAFF_PASSWORD="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export DJANGO_SITE_URL="http://127.0.0.1:$NGINX_PORT" DJANGO_TASKS_BACKEND=database
echo "== migrate, load_demo, collectstatic, create_staff --username $STAFF_USER"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_demo >/dev/null
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py create_staff --username "$STAFF_USER"

start_instance() {  # name port -> prints the pid of its own process group
  setsid .venv/bin/gunicorn kenniscentrum.wsgi --bind "127.0.0.1:$2" --workers "$WORKERS_PER_INSTANCE" \
    --no-control-socket --log-level warning >"$D/gunicorn-$1.log" 2>&1 &
  echo $!
}
PID_A=$(start_instance a $PORT_A)
PID_B=$(start_instance b $PORT_B)
echo "== gunicorn A on 127.0.0.1:$PORT_A (pid $PID_A), B on 127.0.0.1:$PORT_B (pid $PID_B), $WORKERS_PER_INSTANCE workers each"
setsid "$PY" manage.py db_worker --interval 0.5 --no-reload >"$D/worker.log" 2>&1 &
PID_WORKER=$!
QUEUED=$("$PY" manage.py render_pdfs | grep -o '^[0-9]*')
echo "== task worker (manage.py db_worker, pid $PID_WORKER); $QUEUED PDFs of published editions queued (render_pdfs)"

# The nginx configuration of docs/deployment.md, with this machine's paths and ports.
mkdir -p "$D/nginx/tmp" "$D/nginx/cache" && chmod 777 "$D/nginx/tmp" "$D/nginx/cache"
sed -e "s|@RUN_DIR@|$D/nginx|g" -e "s|@LISTEN@|127.0.0.1:$NGINX_PORT|g" \
    -e "s|@INSTANCE_A@|127.0.0.1:$PORT_A|g" -e "s|@INSTANCE_B@|127.0.0.1:$PORT_B|g" \
    deploy/nginx.conf >"$D/nginx.conf"
nginx -p "$D/nginx" -c "$D/nginx.conf"
for port in $PORT_A $PORT_B $NGINX_PORT; do
  for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.2; done
done
echo "== nginx on 127.0.0.1:$NGINX_PORT balancing A and B"
BASE=http://127.0.0.1:$NGINX_PORT

# --- 1. an edit on A is on B at once, and on nginx within a second ----------------------------------
page=/werksporen/$TRACK_SLUG/
h1() { grep -o '<h1[^>]*>[^<]*' "$1" | head -1 | sed 's/<h1[^>]*>//'; }
curl -sS -o /dev/null "$BASE$page"
curl -sS "http://127.0.0.1:$PORT_B$page" -o "$D/body"
echo "== 1. before the edit, B's <h1>: $(h1 "$D/body")"
NEW_TITLE="Atrium centrumsteden (bewerkt via A om $(date +%H:%M:%S))"
"$PY" bench/admin_edit.py "http://127.0.0.1:$PORT_A" "$STAFF_USER" "$TRACK_SLUG" "$NEW_TITLE" | sed 's/^/   /'
curl -sS "http://127.0.0.1:$PORT_B$page" -o "$D/body"
if grep -q "$NEW_TITLE" "$D/body"; then echo "   OK: B serves the edit made on A at once"; else echo "!! B does not show the edit" >&2; exit 1; fi
for _ in $(seq 40); do curl -sS "$BASE$page" -o "$D/body"; grep -q "$NEW_TITLE" "$D/body" && break; sleep 0.05; done
if grep -q "$NEW_TITLE" "$D/body"; then echo "   OK: nginx serves it too"; else echo "!! nginx does not show the edit after 2 s" >&2; exit 1; fi

SUMMARY_MEASURE=""
# --- 2. measurements ----------------------------------------------------------------------------------
if [ "$MEASURE" = 1 ]; then
  MEASURED=$D/measured.txt
  : >"$MEASURED"
  echo "== 2. PDFs rendered ahead by the worker: waiting for $QUEUED files in the shared PDF directory"
  for _ in $(seq 240); do
    [ "$(find "$D/shared/pdf" -name '*.pdf' | wc -l)" -ge "$QUEUED" ] && break
    sleep 0.5
  done
  echo "   stored: $(find "$D/shared/pdf" -name '*.pdf' | wc -l)"
  first_pdf=$(curl -sS -D "$D/headers" -o /dev/null -w '%{http_code} %{time_total}' "$BASE/jaarverslag/2024/pdf/")
  echo "   first download of /jaarverslag/2024/pdf/ through nginx: HTTP ${first_pdf% *} in ${first_pdf#* } s," \
       "X-PDF-Cache: $(grep -i '^x-pdf-cache' "$D/headers" | cut -d' ' -f2 | tr -d '\r') (hit: rendered ahead, nobody waited)"

  # The reference: nginx serving the bytes of the jaarverslag page as a file, with the process settings
  # of deploy/nginx.conf (workers, sendfile, no access log), in a second nginx of its own.
  mkdir -p "$D/static/root" "$D/static/tmp" && chmod 777 "$D/static/tmp" && chmod 755 "$D/static" "$D/static/root"
  curl -sS "$BASE/jaarverslag/2024/" -o "$D/static/root/jaarverslag-2024.html"
  chmod 644 "$D/static/root/jaarverslag-2024.html"
  sed -n '/^daemon/,/^events/p' deploy/nginx.conf | sed "s|@RUN_DIR@|$D/static|g" >"$D/static/nginx.conf"
  cat >>"$D/static/nginx.conf" <<CONF
  worker_connections 1024;
}
http {
  access_log off;
  sendfile on;
  client_body_temp_path $D/static/tmp/body;
  proxy_temp_path $D/static/tmp/proxy;
  fastcgi_temp_path $D/static/tmp/fastcgi;
  uwsgi_temp_path $D/static/tmp/uwsgi;
  scgi_temp_path $D/static/tmp/scgi;
  server {
    listen 127.0.0.1:$STATIC_PORT;
    root $D/static/root;
  }
}
CONF
  nginx -p "$D/static" -c "$D/static/nginx.conf"
  STATIC_URL="http://127.0.0.1:$STATIC_PORT/jaarverslag-2024.html"
  echo "   reference: $STATIC_URL, $(stat -c %s "$D/static/root/jaarverslag-2024.html") bytes"

  echo "== 2a. $ROUNDS rounds x $(( ${#PAGES[@]} + 1 )) addresses x ${MEASURE_SECONDS}s, wrk -t2 -c50, no Accept-Encoding (like for like with the file)"
  for path in "${PAGES[@]}"; do curl -sS -o /dev/null "$BASE$path"; curl -sS -o /dev/null "$BASE$path"; done
  for round in $(seq "$ROUNDS"); do
    for target in static "${PAGES[@]}"; do
      url=$BASE$target
      [ "$target" = static ] && url=$STATIC_URL
      line=$(timeout $((MEASURE_SECONDS + 30)) wrk -t2 -c50 -d"${MEASURE_SECONDS}s" --timeout 10s -s bench/wrk-report.lua "$url" \
        | grep '^RESULT' || echo "RESULT requests=0 seconds=$MEASURE_SECONDS p50=0 p95=0 p99=0 non2xx=0 connect=0 read=0 write=0 timeout=1 app=0")
      echo "throughput $target $line" >>"$MEASURED"
    done
    echo "   round $round done"
  done

  echo "== 2b. freshness: $FRESH_EDITS edits through A's admin, each polled through nginx until it shows"
  "$PY" bench/freshness.py probe "http://127.0.0.1:$PORT_A" "$BASE" "$STAFF_USER" "$TRACK_SLUG" --edits "$FRESH_EDITS" \
    | tee "$D/fresh.out"
  FRESH_LINE=$(grep '^FRESH' "$D/fresh.out")

  echo "== 2c. publication day: wrk -t2 -c50 through nginx on the ${#PAGES[@]} pages, 10 s quiet, then 30 s while an editor saves every 2 s"
  pubday() {  # name seconds
    local line
    line=$(timeout $(($2 + 30)) wrk -t2 -c50 -d"${2}s" --timeout 10s -s bench/wrk-report.lua "$BASE" -- "${PAGES[@]}" \
      | grep '^RESULT' || echo "RESULT requests=0 seconds=$2 p50=0 p95=0 p99=0 non2xx=0 connect=0 read=0 write=0 timeout=1 app=0")
    echo "pubday $1 $line" >>"$MEASURED"
    echo "   $1: $line"
  }
  pubday quiet 10
  "$PY" bench/freshness.py editor "http://127.0.0.1:$PORT_A" "$STAFF_USER" "$TRACK_SLUG" --every 2 --seconds 30 >"$D/editor.out" &
  EDITOR=$!
  pubday saving 30
  wait "$EDITOR"
  echo "   the editor: $(cat "$D/editor.out")"

  SUMMARY_MEASURE=$(python3 - "$MEASURED" "$FRESH_LINE" "$(cat "$D/editor.out")" <<'PY'
import statistics, sys
rows, pubday = {}, {}
for line in open(sys.argv[1]):
    what, name, _, *fields = line.split()
    values = {k: float(v) for k, v in (f.split("=") for f in fields)}
    (rows if what == "throughput" else pubday).setdefault(name, []).append(values)
rate = {p: sum(r["requests"] for r in rs) / sum(r["seconds"] for r in rs) for p, rs in rows.items()}
errors = 0
print("| address | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket errors | answered by the app | ratio to nginx static |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, rs in {**rows, **{f"publication day, {k}": v for k, v in pubday.items()}}.items():
    med = {k: statistics.median(r[k] for r in rs) for k in ("p50", "p95", "p99")}
    bad = sum(r["non2xx"] for r in rs)
    sock = sum(r["connect"] + r["read"] + r["write"] + r["timeout"] for r in rs)
    errors += bad + sock
    reqs = sum(r["requests"] for r in rs) / sum(r["seconds"] for r in rs)
    ratio = f"{reqs / rate['static']:.2f}" if name in rate else "—"
    label = "nginx: the jaarverslag 2024 bytes as a static file" if name == "static" else (
        f"`{name}`" if name in rate else name)
    app = "—" if name == "static" else f"{sum(r.get('app', 0) for r in rs):.0f}"
    print(f"| {label} | {reqs:.0f} | {med['p50']:.2f} | {med['p95']:.2f} | {med['p99']:.2f} | {bad:.0f} | {sock:.0f} | {app} | {ratio} |")
fresh = dict(f.split("=") for f in sys.argv[2].split()[1:])
print()
print(f"Freshness over {fresh['edits']} edits: median {fresh['median_seconds']} s, max {fresh['max_seconds']} s. "
      f"Publication day: the editor's {sys.argv[3]} during the 30 s run.")
print("@@RATIO min_page_to_nginx_static=%.2f" % min(v / rate["static"] for k, v in rate.items() if k != "static"))
print(f"@@FRESH max_seconds={fresh['max_seconds']}")
print(f"@@ERRORS {errors:.0f}")
PY
)
  nginx -p "$D/static" -c "$D/static/nginx.conf" -s quit
fi

# --- 3. load test through nginx (optional) ----------------------------------------------------------
if [ "${LOAD:-0}" = 1 ]; then
  echo "== 3. load test through nginx (both instances up)"
  BASE_URL=$BASE bench/load.sh
fi

# --- 4. faults under load ---------------------------------------------------------------------------
SUMMARY_FAULTS=""
if [ "$FAULTS" = 1 ]; then
  RESULTS=$D/faults.txt
  : >"$RESULTS"
  log_lines() { cat "$D"/gunicorn-*.log | grep -c "$1" || true; }
  start_load() {  # fault-name -> starts wrk in the background
    CURRENT=$1
    timeout $((DURATION + 30)) wrk -t2 -c40 -d"${DURATION}s" --timeout 10s -s bench/wrk-report.lua "$BASE" -- "${MIX[@]}" \
      >"$D/wrk.out" 2>&1 &
    WRK=$!
    TRACEBACKS_BEFORE=$(log_lines Traceback)
  }
  finish_load() {  # [extra-requests extra-non2xx] -> waits for wrk and notes its result
    wait "$WRK" || true
    local result
    result=$(grep '^RESULT' "$D/wrk.out" || echo "RESULT requests=0 non2xx=0 connect=0 read=0 write=0 timeout=1")
    echo "$CURRENT|$result extra_requests=${1:-0} extra_non2xx=${2:-0}" >>"$RESULTS"
    printf '   %s\n   tracebacks in the app logs during the run: %s\n' "$result" "$(( $(log_lines Traceback) - TRACEBACKS_BEFORE ))"
  }

  echo "== 4. faults, each under ${DURATION}s of wrk -t2 -c40 through nginx (${#MIX[@]} paths, half rendered from the database)"
  "$PY" manage.py clear_page_cache >/dev/null
  for path in "${MIX[@]}"; do curl -s -o /dev/null "$BASE${path#!}"; done

  echo "-- no fault"
  start_load "no fault"
  finish_load

  echo "-- PDF storage unwritable: chattr +i $D/shared/pdf, then ${#PDFS[@]} PDF downloads during the load"
  echo "   (with a session cookie: neither nginx's copy nor a PDF rendered ahead may answer, they must be made now)"
  rm -f "$D"/shared/pdf/*
  "$PY" manage.py clear_page_cache >/dev/null
  chattr +i "$D/shared/pdf"
  start_load "PDF storage unwritable"
  sleep 2
  pdf_pids=()
  for pdf in "${PDFS[@]}"; do
    curl -s -H "Cookie: sessionid=bench-no-such-session" -o "$D/pdf-$(echo "$pdf" | tr / -)" -w '%{http_code}\n' --max-time 60 "$BASE$pdf" >"$D/pdf-status-$(echo "$pdf" | tr / -)" &
    pdf_pids+=($!)
  done
  wait "${pdf_pids[@]}" || true
  pdf_bad=0
  for pdf in "${PDFS[@]}"; do
    status=$(cat "$D/pdf-status-$(echo "$pdf" | tr / -)")
    kind=$(head -c 5 "$D/pdf-$(echo "$pdf" | tr / -)" 2>/dev/null || true)
    printf '   %-24s %s %s\n' "$pdf" "$status" "$kind"
    [ "$status" = 200 ] || pdf_bad=$((pdf_bad + 1))
  done
  finish_load "${#PDFS[@]}" "$pdf_bad"
  chattr -i "$D/shared/pdf"
  echo "   'not stored' warnings in the app logs: $(log_lines 'rendered but not stored')"

  echo "-- PostgreSQL restart during the load (pg_ctl restart -m fast)"
  start_load "PostgreSQL restart (during)"
  sleep 2
  pg -m fast -w restart
  echo "   PostgreSQL accepts connections again"
  finish_load

  echo "-- PostgreSQL restarted while idle, then load: every worker starts with a dead kept connection"
  pg -m fast -w restart
  start_load "PostgreSQL after restart"
  finish_load
  echo "   'Database unavailable' warnings so far: $(log_lines 'Database unavailable'), 'available again': $(log_lines 'Database available again')"

  echo "-- Redis stopped for 3 s during the load, then started again (empty)"
  start_load "Redis stopped"
  sleep 2
  kill "$(cat "$D/redis.pid")"
  sleep 3
  start_redis
  finish_load
  echo "   'Shared cache unavailable' warnings: $(log_lines 'Shared cache unavailable'), 'available again': $(log_lines 'Shared cache available again')"

  echo "-- instance A killed during the load (kill -KILL of its process group)"
  start_load "instance A killed"
  sleep 2
  kill -KILL -- "-$PID_A"
  PID_A=""
  finish_load
  curl -s -o /dev/null "http://127.0.0.1:$PORT_A/" && echo "!! A still answers" >&2 || echo "   A no longer answers on :$PORT_A"

  SUMMARY_FAULTS=$(python3 - "$RESULTS" <<'PY'
import sys
counted = {"PDF storage unwritable", "PostgreSQL after restart", "Redis stopped"}
print("| fault | requests | non-2xx | socket errors |")
print("|---|---:|---:|---:|")
total = 0
for line in open(sys.argv[1]):
    fault, fields = line.rstrip("\n").split("|", 1)
    v = {k: int(float(x)) for k, x in (f.split("=") for f in fields.split()[1:])}
    requests, non2xx = v["requests"] + v["extra_requests"], v["non2xx"] + v["extra_non2xx"]
    errors = v["connect"] + v["read"] + v["write"] + v["timeout"]
    total += non2xx if fault in counted else 0
    print(f"| {fault} | {requests} | {non2xx} | {errors} |")
print(f"FAULTS non2xx={total}")
PY
  )
fi

# Stop everything first, so that the summary lines are the last thing printed: the tables, then
# FAULTS (when the faults ran), then RATIO, FRESH and ERRORS (when the measurements ran).
cleanup
trap - EXIT
echo
[ -z "$SUMMARY_MEASURE" ] || grep -v '^@@' <<<"$SUMMARY_MEASURE"
[ -z "$SUMMARY_FAULTS" ] || { echo; echo "$SUMMARY_FAULTS"; }
[ -z "$SUMMARY_MEASURE" ] || grep '^@@' <<<"$SUMMARY_MEASURE" | sed 's/^@@//'
true
