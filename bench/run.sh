#!/usr/bin/env bash
# Load benchmark: numberpool against nginx serving byte-for-byte the same bodies for the same
# URLs, both driven by wrk with the same threads, connections and duration, in one run.
#
#   bench/run.sh [--duration SECONDS] [--connections N] [--rounds N] [--data-dir DIR]
#
# Both servers get the same number of worker threads (2 on this kind of machine) and bind to
# 127.0.0.1 only. Each workload runs `rounds` times alternating the two servers; the median
# requests/s of each is reported, with numberpool's ratio to nginx.
set -euo pipefail

duration=10
connections=64
rounds=3
data_dir=""
while (( $# )); do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --data-dir) data_dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
binary="$root/build/numberpool"
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/install-deps.sh --bench" >&2; exit 1; }
done
[[ -x "$binary" ]] || { echo "build numberpool first: scripts/build.sh" >&2; exit 1; }

threads=$(nproc)
work="$(mktemp -d)"
np_pid=""
signed_pid=""
nginx_conf="$work/nginx.conf"
cleanup() {
  for pid in $np_pid $signed_pid; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  [[ -f "$work/nginx.pid" ]] && nginx -c "$nginx_conf" -p "$work" -s quit 2>/dev/null || true
  sleep 0.5
  rm -rf "$work"
}
trap cleanup EXIT

[[ -n "$data_dir" ]] || data_dir="$work/data"

# start_numberpool NAME ARGS...: starts a server on a free port; sets NAME_url and NAME_pid.
start_numberpool() {
  local name="$1"; shift
  "$binary" serve --data-dir "$data_dir" --listen 127.0.0.1:0 --threads "$threads" "$@" \
    > "$work/$name.out" 2> "$work/$name.err" &
  local pid=$!
  printf -v "${name}_pid" '%s' "$pid"
  for _ in $(seq 600); do
    grep -q "^listening on" "$work/$name.out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.err" >&2; exit 1; }
    sleep 0.2
  done
  printf -v "${name}_url" '%s' "$(sed -n 's/^listening on //p' "$work/$name.out")"
  [[ -n "$(eval echo "\$${name}_url")" ]] || { echo "numberpool ($name) did not start" >&2; exit 1; }
}

# The unsigned workloads run against `--auth none`; the signed one against `--auth sigv4`
# with a key whose rate limit is out of the way.
start_numberpool np --auth none
key_out="$("$binary" keys create --data-dir "$data_dir" --profile "bench-$$" --rate 1000000000 \
  --burst 1000000000)"
bench_key_id="$(sed -n 's/^aws_access_key_id = //p' <<< "$key_out")"
bench_secret="$(sed -n 's/^aws_secret_access_key = //p' <<< "$key_out")"
start_numberpool signed --auth sigv4

workloads=(
  "/search?type=phone-numbers&area-code=206&max-results=5"
  "/search?type=phone-numbers&state=CA&max-results=500"
)

# nginx answers each workload URL with numberpool's exact body from `return 200`, its fastest
# path. nginx caps a configuration string at 4 KiB, so each body is cut into chunks, one map
# from the query string per chunk, and returned as the chunks' concatenation.
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
chunk=3000
declare -A bodies
max_chunks=1
for w in "${workloads[@]}"; do
  bodies[$w]="$(curl -sf "$np_url$w")"
  n=$(( (${#bodies[$w]} + chunk - 1) / chunk ))
  (( n > max_chunks )) && max_chunks=$n
done
{
  echo "worker_processes $threads;"
  echo "pid $work/nginx.pid;"
  echo "error_log $work/nginx.err;"
  echo "events { worker_connections 4096; }"
  echo "http {"
  echo "  access_log off;"
  echo "  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work;"
  echo "  uwsgi_temp_path $work; scgi_temp_path $work;"
  ret=""
  for (( c = 0; c < max_chunks; c++ )); do
    echo "  map \$args \$np_body_$c {"
    echo "    default '';"
    for w in "${workloads[@]}"; do
      part="${bodies[$w]:$(( c * chunk )):$chunk}"
      [[ -n "$part" ]] && echo "    '${w#*\?}' '$part';"
    done
    echo "  }"
    ret+="\$np_body_$c"
  done
  echo "  server {"
  echo "    listen 127.0.0.1:$nginx_port;"
  echo "    keepalive_requests 1000000;"
  echo "    location = /search { default_type application/json; return 200 \"$ret\"; }"
  echo "  }"
  echo "}"
} > "$nginx_conf"
nginx -c "$nginx_conf" -p "$work"
sleep 0.5
nginx_url="http://127.0.0.1:$nginx_port"

for w in "${workloads[@]}"; do
  if ! cmp -s <(curl -sf "$np_url$w") <(curl -sf "$nginx_url$w"); then
    echo "nginx and numberpool bodies differ for $w" >&2; exit 1
  fi
done

rps() {  # url [wrk options...] -> requests/s
  local url="$1"; shift
  wrk -t "$threads" -c "$connections" -d "${duration}s" "$@" "$url" | awk '/^Requests\/sec:/ {print $2}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "numberpool vs nginx: wrk -t$threads -c$connections -d${duration}s, $rounds rounds, median req/s"
printf "%-58s %12s %12s %7s\n" "workload" "numberpool" "nginx" "ratio"
for w in "${workloads[@]}"; do
  np_runs=(); nginx_runs=()
  for _ in $(seq "$rounds"); do
    np_runs+=("$(rps "$np_url$w")")
    nginx_runs+=("$(rps "$nginx_url$w")")
  done
  np=$(printf "%s\n" "${np_runs[@]}" | median)
  ng=$(printf "%s\n" "${nginx_runs[@]}" | median)
  ratio=$(awk -v a="$np" -v b="$ng" 'BEGIN {printf "%.2f", a / b}')
  printf "%-58s %12.0f %12.0f %7s\n" "$w" "$np" "$ng" "$ratio"
done

# Signed: wrk replays one request signed (by botocore) for the moment of the run; it stays
# valid for the 15-minute window, longer than any run here.
signed_w="/search?type=phone-numbers&area-code=206&max-results=5"
mapfile -t sig_headers < <(python3 - "$signed_url$signed_w" "$bench_key_id" "$bench_secret" <<'PY'
import sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
req = AWSRequest(method="GET", url=sys.argv[1])
SigV4Auth(Credentials(sys.argv[2], sys.argv[3]), "chime", "us-east-1").add_auth(req)
for k, v in req.headers.items():
    print("%s: %s" % (k, v))
PY
)
wrk_headers=()
for h in "${sig_headers[@]}"; do wrk_headers+=(-H "$h"); done
if ! cmp -s <(curl -sf "${wrk_headers[@]}" "$signed_url$signed_w") <(curl -sf "$nginx_url$signed_w"); then
  echo "the signed request is not answered with nginx's body" >&2; exit 1
fi
s_runs=(); n_runs=()
for _ in $(seq "$rounds"); do
  s_runs+=("$(rps "$signed_url$signed_w" "${wrk_headers[@]}")")
  n_runs+=("$(rps "$nginx_url$signed_w" "${wrk_headers[@]}")")
done
np=$(printf "%s\n" "${s_runs[@]}" | median)
ng=$(printf "%s\n" "${n_runs[@]}" | median)
ratio=$(awk -v a="$np" -v b="$ng" 'BEGIN {printf "%.2f", a / b}')
printf "%-58s %12.0f %12.0f %7s\n" "signed (SigV4 verified) $signed_w" "$np" "$ng" "$ratio"
"$binary" keys delete "bench-$$" --data-dir "$data_dir" >/dev/null
