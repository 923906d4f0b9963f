# Shared by the bench scripts that start servers of their own (source after scripts/lib/common.sh).

# The server a bench script started in the background ($server), stopped and forgotten.
server=""
stop_server() {
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  server=""
}

# A table/container prefix of this run's own: 'b' and ten hex digits.
bench_prefix() { echo "b$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 10)"; }
