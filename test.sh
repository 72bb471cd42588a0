#!/usr/bin/env bash
# Runs every test project and ends with one line "N passed, N failed"; exits non-zero on any failure.
#   ./test.sh            every test except the stress tests
#   ./test.sh --stress   only the stress tests (heap measurements, 10 million items): CI runs them as a step of its own
# Other arguments go to dotnet test (e.g. --filter).
set -uo pipefail
cd "$(dirname "$0")"
filter="Category!=Stress"
if [ "${1:-}" = "--stress" ]; then
  filter="Category=Stress"
  shift
fi
log=$(mktemp)
dotnet build Parmap.slnx -c Release 2>&1 | tail -n 3
build=${PIPESTATUS[0]}
if [ "$build" -ne 0 ]; then
  dotnet build Parmap.slnx -c Release 2>&1 | grep -E "error" | sort -u | head -50
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
dotnet test Parmap.slnx -c Release --no-build --filter "$filter" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=0; failed=0; runs=0
while read -r f p; do
  failed=$((failed + f)); passed=$((passed + p)); runs=$((runs + 1))
done < <(sed -nE 's/.*Failed:[[:space:]]*([0-9]+),[[:space:]]*Passed:[[:space:]]*([0-9]+),.*/\1 \2/p' "$log")
rm -f "$log"
if [ "$runs" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # The runner failed without reporting totals (crash, no tests found): count it as a failure.
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
