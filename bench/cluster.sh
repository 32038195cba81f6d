#!/usr/bin/env bash
# Two app servers behind nginx on one machine, all on 127.0.0.1 and bounded in time:
# a throwaway PostgreSQL, Redis, gunicorn instances A and B sharing the database, the cache and the
# media/PDF directories, and nginx balancing between them. Then:
#   1. edits a work track through instance A's admin (real login and POST) and shows that instance B
#      serves the new title at once (shared content version in Redis);
#   2. runs bench/load.sh through nginx;
#   3. kills instance A (SIGKILL, no goodbye) and shows nginx keeps serving from B with zero errors.
# Everything started here is stopped and removed on exit (trap), also on Ctrl-C or the time limit.
#
#   bench/cluster.sh                      # ROUNDS, DURATION, WORKERS_PER_INSTANCE, MAX_SECONDS to tune
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

MAX_SECONDS=${MAX_SECONDS:-900}
WORKERS_PER_INSTANCE=${WORKERS_PER_INSTANCE:-2}
PG_PORT=55430 REDIS_PORT=55431 PORT_A=55411 PORT_B=55412 NGINX_PORT=55420
TRACK_SLUG=${TRACK_SLUG:-atrium-centrumsteden}
STAFF_USER=bench-redactie

# --- system packages ------------------------------------------------------------------------------
need=()
for pkg in postgresql redis-server nginx wrk; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
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
PID_A="" PID_B="" WATCHDOG=""
cleanup() {
  set +e
  echo "== cleanup"
  [ -f "$D/nginx.conf" ] && nginx -p "$D" -c "$D/nginx.conf" -s quit 2>/dev/null
  for pid in $PID_A $PID_B; do kill -TERM -- "-$pid" 2>/dev/null; done
  [ -f "$D/redis.pid" ] && kill "$(cat "$D/redis.pid")" 2>/dev/null
  [ -d "$D/pg/data" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/pg/data" -m fast -w stop >/dev/null 2>&1
  sleep 1
  for pid in $PID_A $PID_B; do kill -KILL -- "-$pid" 2>/dev/null; done
  [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null
  rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
( sleep "$MAX_SECONDS"; echo "!! time limit of ${MAX_SECONDS}s reached, stopping" >&2; kill -TERM $$ ) &
WATCHDOG=$!

# --- PostgreSQL and Redis ---------------------------------------------------------------------------
echo "== PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT (throwaway, in $D)"
mkdir -p "$D/pg/data" "$D/pg/run"
chown -R postgres:postgres "$D/pg" && chmod 700 "$D/pg/data"
runuser -u postgres -- "$PGBIN/initdb" -D "$D/pg/data" -U postgres -E UTF8 --locale=C.UTF-8 \
  --auth-local=trust --auth-host=scram-sha-256 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/pg/data" -l "$D/pg/run/pg.log" \
  -o "-k $D/pg/run -h 127.0.0.1 -p $PG_PORT" -w start >/dev/null
PGPASS=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
runuser -u postgres -- psql -q -h "$D/pg/run" -p $PG_PORT -U postgres \
  -c "CREATE ROLE kc LOGIN PASSWORD '$PGPASS'" -c "CREATE DATABASE kc OWNER kc"
redis-server --bind 127.0.0.1 --port $REDIS_PORT --save "" --appendonly no --daemonize yes \
  --pidfile "$D/redis.pid" --dir "$D" --logfile "$D/redis.log"

# --- the site: one configuration, two instances -----------------------------------------------------
mkdir -p "$D/shared/media" "$D/shared/pdf"
export DATABASE_URL="postgres://kc:$PGPASS@127.0.0.1:$PG_PORT/kc"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export DJANGO_SECRET_KEY="cluster-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_MEDIA_ROOT=$D/shared/media DJANGO_PDF_CACHE_DIR=$D/shared/pdf
export DJANGO_STAFF_PASSWORD="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
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

# The nginx configuration of docs/deployment.md, with this machine's paths and ports.
mkdir -p "$D/nginx/tmp" && chmod 777 "$D/nginx/tmp"
sed -e "s|@RUN_DIR@|$D/nginx|g" -e "s|@LISTEN@|127.0.0.1:$NGINX_PORT|g" \
    -e "s|@INSTANCE_A@|127.0.0.1:$PORT_A|g" -e "s|@INSTANCE_B@|127.0.0.1:$PORT_B|g" \
    deploy/nginx.conf >"$D/nginx.conf"
nginx -p "$D/nginx" -c "$D/nginx.conf"
for port in $PORT_A $PORT_B $NGINX_PORT; do
  for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.2; done
done
echo "== nginx on 127.0.0.1:$NGINX_PORT balancing A and B"

# --- 1. an edit on A is on B at once ----------------------------------------------------------------
page=/werksporen/$TRACK_SLUG/
show() {  # instance-url -> cache state and <h1>
  curl -sS -D "$D/headers" "$1$page" -o "$D/body"
  printf '   %-24s X-Page-Cache: %-5s <h1>: %s\n' "$1" "$(grep -i '^x-page-cache' "$D/headers" | cut -d' ' -f2 | tr -d '\r')" \
    "$(grep -o '<h1[^>]*>[^<]*' "$D/body" | head -1 | sed 's/<h1[^>]*>//')"
}
echo "== 1. page on B before the edit (second request from B's cache):"
show "http://127.0.0.1:$PORT_B" >/dev/null
show "http://127.0.0.1:$PORT_B"
NEW_TITLE="Atrium centrumsteden (bewerkt via A om $(date +%H:%M:%S))"
"$PY" bench/admin_edit.py "http://127.0.0.1:$PORT_A" "$STAFF_USER" "$TRACK_SLUG" "$NEW_TITLE" | sed 's/^/   /'
echo "   page on B right after the edit:"
show "http://127.0.0.1:$PORT_B"
if grep -q "$NEW_TITLE" "$D/body"; then echo "   OK: B serves the edit made on A immediately"; else echo "!! B does not show the edit" >&2; exit 1; fi

# --- 2. load test through nginx ---------------------------------------------------------------------
echo "== 2. load test through nginx (both instances up)"
BASE_URL="http://127.0.0.1:$NGINX_PORT" bench/load.sh

# --- 3. kill A, nginx keeps serving -----------------------------------------------------------------
echo "== 3. kill -KILL instance A (pid group $PID_A), then 10 s of wrk through nginx"
kill -KILL -- "-$PID_A"
PID_A=""
sleep 0.5
curl -s -o /dev/null "http://127.0.0.1:$PORT_A/" && echo "!! A still answers" >&2 || echo "   A no longer answers on :$PORT_A"
result=$(wrk -t2 -c50 -d10s --timeout 10s -s bench/wrk-report.lua "http://127.0.0.1:$NGINX_PORT$page" | grep '^RESULT')
echo "   $result"
for p in / /kalender/ /jaarverslag/2024/ /jaarverslag/2024/pdf/; do
  printf '   %-26s %s\n' "$p" "$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NGINX_PORT$p")"
done
if echo "$result" | grep -q 'non2xx=0 connect=0 read=0 write=0 timeout=0'; then
  echo "   OK: zero errors and zero non-2xx with instance A dead"
else
  echo "!! errors while A was down" >&2; exit 1
fi
