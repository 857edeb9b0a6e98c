#!/usr/bin/env bash
# The crawl benchmarks behind bench/RESULTS.md (`make bench` runs them all).
#
# usage: bench/run.sh [single] [peer] [multi]     (default: all three)
#   single  govaudit audit of the synthetic 10,000-article portal (bench/gen_site.py), served by
#           nginx on 127.0.0.1, rate limits lifted (--delay 0 --no-autothrottle --concurrency 16)
#   peer    LinkChecker 10.6 (pip, in its own venv) on the same site: threads 20, no rate limit
#   multi   40 sites x 257 URLs (127.0.0.11 … 127.0.0.50), per-site delay 0.25 s, one request
#           at a time per site, AutoThrottle on: one site alone, then all 40 in one `audit --units`
# Environment: BENCH_DIR (work dir, default /tmp/govaudit-bench-own), BENCH_ARTICLES (10000),
#   BENCH_PORT (18081; the external host uses BENCH_PORT+1), BENCH_SITES (40), GOVAUDIT (the command).
# Prints one line per measurement (wall seconds, peak RSS, pages stored, pages/s) and appends
# them to $BENCH_DIR/results.txt. Needs nginx (nginx-light); installs it with apt when root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=${BENCH_DIR:-/tmp/govaudit-bench-own}
articles=${BENCH_ARTICLES:-10000}
port=${BENCH_PORT:-18081}; port2=$((port + 1))
nsites=${BENCH_SITES:-40}
govaudit=${GOVAUDIT:-$root/.venv/bin/govaudit}
py=${PYTHON:-$root/.venv/bin/python}
what=("$@"); [ ${#what[@]} -eq 0 ] && what=(single peer multi)
mkdir -p "$work"
exec 9>"$work/lock"
flock -n 9 || { echo "bench: another bench/run.sh is running in $work" >&2; exit 2; }

if ! command -v nginx >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null
  else echo "bench: needs nginx (apt-get install nginx-light)" >&2; exit 2; fi
fi

log() { echo "$*" | tee -a "$work/results.txt"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# -- sites ------------------------------------------------------------------------------------
site=$work/site-$articles
if [ ! -f "$site/index.html" ]; then
  rm -rf "$site"; python3 "$here/gen_site.py" "$site" --articles "$articles" --ext-host "127.0.0.2:$port2" >/dev/null
fi
mkdir -p "$work/ext/ext"; for i in $(seq 0 49); do echo "<html><body>ext $i</body></html>" > "$work/ext/ext/$i.html"; done
if [[ " ${what[*]} " == *" multi "* ]] && [ ! -f "$work/plain/index.html" ]; then
  # 232 articles in 8 columns: / and /index.html + 16 list pages + 232 articles + 2 = 252 pages,
  # + logo, css and the search form's 404 = 255 URLs; 257 rows with the soft-404 and HTTPS probes
  rm -rf "$work/plain"; python3 "$here/gen_site.py" "$work/plain" --articles 232 --columns 8 --plain >/dev/null
fi

# -- nginx ------------------------------------------------------------------------------------
{
  echo "worker_processes 1; pid $work/nginx.pid; error_log $work/nginx-error.log warn;"
  echo "events { worker_connections 4096; }"
  echo "http { access_log off; include /etc/nginx/mime.types; sendfile on; keepalive_requests 100000;"
  # LinkChecker lifts its per-host rate limit (0.1-0.6 s between requests) only for servers that
  # answer with a "LinkChecker" header: without it the comparison would measure its politeness
  echo "  server { listen 127.0.0.1:$port; root $site; add_header LinkChecker 1; }"
  echo "  server { listen 127.0.0.2:$port2; root $work/ext; add_header LinkChecker 1; }"
  for i in $(seq 1 "$nsites"); do echo "  server { listen 127.0.0.$((10 + i)):$port; root $work/plain; }"; done
  echo "}"
} > "$work/nginx.conf"
if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null && sleep 0.5 || true; fi
nginx -c "$work/nginx.conf" -e "$work/nginx-error.log"
sleep 0.2; ngpid=$(cat "$work/nginx.pid")
trap 'kill "$ngpid" 2>/dev/null || true' EXIT
chmod -R a+rX "$work"

# The footer's filing link (beian.miit.gov.cn) is on the internet: not checked, by either tool.
cat > "$work/rules.yaml" <<YAML
crawl:
  skip_hosts: [beian.miit.gov.cn]
  max_pages: 50000
YAML

# measure NAME COMMAND...: sets secs (wall), kb (peak RSS of the largest process) and cpu
# (user+sys seconds of COMMAND and its children): on a shared machine CPU time is the steadier figure
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >"$work/$name.log" 2>&1 || true
  read -r secs kb u s < <(tail -1 "$work/time.txt")
  cpu=$("$py" -c "print(round($u + $s, 1))")
}
stored() {  # "PAGES CRAWL_SECONDS" of the last run of a store (crawl span: first to last fetch)
  "$py" - "$1" <<'PY'
import datetime as dt, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
run = c.execute("SELECT id FROM runs ORDER BY started DESC, rowid DESC LIMIT 1").fetchone()[0]
n, first, last = c.execute("SELECT count(*), min(fetched_at), max(fetched_at) FROM pages WHERE run_id=?", (run,)).fetchone()
secs = (dt.datetime.fromisoformat(last) - dt.datetime.fromisoformat(first)).total_seconds() if n else 0
print(n, max(secs, 1))
PY
}
stamp="$(date -u +%FT%TZ) $(nproc) cores, load $(load)"

for w in "${what[@]}"; do case "$w" in
single)
  rm -rf "$work/out-single"
  l0=$(load)
  measure single "$govaudit" audit "http://127.0.0.1:$port/" --out "$work/out-single" \
    --rules-config "$work/rules.yaml" --delay 0 --no-autothrottle --concurrency 16 --max-depth 100
  read -r n crawl < <(stored "$work/out-single/govaudit.sqlite")
  log "$stamp | single: govaudit audit ${secs}s (crawl ${crawl}s, checks+reports the rest), CPU ${cpu}s, peak_rss $((kb / 1024))MB, pages $n: $("$py" -c "print(round($n/$secs))") pages/s whole audit, $("$py" -c "print(round($n/$crawl))") pages/s crawl (load before $l0, after $(load))"
  audit=$secs
  l0=$(load)
  measure crawl "$py" "$here/crawl_only.py" "http://127.0.0.1:$port/" --out "$work/out-crawl"
  log "$stamp | single: crawl stage alone ${secs}s, CPU ${cpu}s, peak_rss $((kb / 1024))MB: $(tail -1 "$work/crawl.log") (load before $l0, after $(load))"
  echo "$audit $crawl $secs" > "$work/single.secs"
  ;;
peer)
  [ -x "$work/lc/bin/linkchecker" ] || { python3 -m venv "$work/lc" && "$work/lc/bin/pip" install -q 'linkchecker==10.6.*'; }
  printf '[checking]\nmaxrequestspersecond=10000\nthreads=20\n[filtering]\nignore=\n  ^https?://beian\n' > "$work/lcrc"
  l0=$(load)
  measure linkchecker "$work/lc/bin/linkchecker" -f "$work/lcrc" --no-status -o csv --check-extern "http://127.0.0.1:$port/"
  n=$(grep -c '^http' "$work/linkchecker.log" || true)
  log "$stamp | peer: linkchecker ${secs}s, CPU ${cpu}s, peak_rss $((kb / 1024))MB (csv rows $n) (load before $l0, after $(load))"
  if [ -f "$work/single.secs" ]; then
    read -r a c o < "$work/single.secs"
    log "speed-up vs linkchecker (wall): $("$py" -c "print(f'{$secs / $a:.2f}x whole audit, {$secs / $c:.2f}x its crawl stage, {$secs / $o:.2f}x crawl stage alone')")"
  fi
  ;;
multi)
  "$py" "$here/multi_units.py" "$nsites" "$port" > "$work/units.yaml"
  "$py" "$here/multi_units.py" 1 "$port" > "$work/unit1.yaml"
  rm -rf "$work/out-one" "$work/out-multi"
  l0=$(load)
  measure one "$govaudit" audit --units "$work/unit1.yaml" --out "$work/out-one"
  one=$secs; read -r n1 c1 < <(stored "$work/out-one/govaudit.sqlite")
  log "$stamp | multi: one site alone: audit ${one}s (crawl ${c1}s), $n1 pages, peak_rss $((kb / 1024))MB (load before $l0, after $(load))"
  l0=$(load)
  measure multi "$govaudit" audit --units "$work/units.yaml" --out "$work/out-multi"
  read -r n cn < <(stored "$work/out-multi/govaudit.sqlite")
  log "$stamp | multi: $nsites sites: audit ${secs}s (crawl ${cn}s), $n pages (expected $((nsites * n1))), CPU ${cpu}s, peak_rss $((kb / 1024))MB; crawl $("$py" -c "print(f'{$cn / $c1:.2f}')")x, audit $("$py" -c "print(f'{$secs / $one:.2f}')")x the single site's (load before $l0, after $(load))"
  ;;
*) echo "bench: unknown benchmark $w (single, peer, multi)" >&2; exit 2;;
esac; done
