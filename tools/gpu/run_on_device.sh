#!/usr/bin/env bash
# Runs on the lent GPU machine (see DEVELOPERS.md). `piece` stores the carried wheel piece in
# /root/parts. `all` and `simulation` join the pieces, install the wheels and run, writing under $OUT:
# `all` the demo, `run`, the example manager and the engine-clone check on cpu and cuda;
# `simulation` shim.Simulation on cuda (devices, the example manager engine-cloned and whole at
# 1,024 and 4,096 environments, the state benchmark).
set -euo pipefail
mkdir -p /root/parts
cp .gpu/part-* /root/parts/
[ "${1:-}" = "piece" ] && { ls -la /root/parts; exit 0; }
cat /root/parts/part-* > /root/wheels.tar
echo "$(cat .gpu/sha)  /root/wheels.tar" | sha256sum -c
mkdir -p /root/whl && tar xf /root/wheels.tar -C /root/whl
python3 -m pip install --quiet --no-index --no-deps --target /tmp/site /root/whl/*.whl
for deb in .gpu/debs/*.deb; do dpkg -x "$deb" /; done
ldconfig
export PYTHONPATH="/tmp/site:$PWD" PYTHONUNBUFFERED=1
{ python3 --version; nvidia-smi -L; } > "$OUT/host.txt" 2>&1
python3 -m shim doctor > "$OUT/doctor.txt" 2>&1 || true
if [ "${1:-}" = "simulation" ]; then
    python3 tools/gpu/simulation_checks.py > "$OUT/simulation.md" 2> "$OUT/simulation.log" || echo "checks failed: $?" >> "$OUT/failures.txt"
    python3 -m benchmarks.state_step --device cuda --envs 1024 4096 --steps 200 > "$OUT/state-cuda.md" 2> "$OUT/state-cuda.log" \
        || echo "state benchmark failed: $?" >> "$OUT/failures.txt"
    ls -la "$OUT"
    exit 0
fi
python3 -c "from tests.fixtures.scenes import falling_cubes; falling_cubes(3).Export('$OUT/scene.usda')"
for device in cpu cuda; do
    python3 -m shim demo --device "$device" --bodies 4 --steps 120 > "$OUT/demo-$device.txt" 2>&1 || echo "demo $device failed: $?" >> "$OUT/failures.txt"
    python3 -m shim run "$OUT/scene.usda" --device "$device" --steps 120 --json > "$OUT/run-$device.txt" 2>&1 || echo "run $device failed: $?" >> "$OUT/failures.txt"
    python3 examples/ovphysx_manager.py --envs 64 --device "$device" --json > "$OUT/example-$device.txt" 2>&1 || echo "example $device failed: $?" >> "$OUT/failures.txt"
done
# Engine cloning (benchmarks/engine_clone.py): env_0 + clones against every environment, same device, bitwise.
for device in cuda cpu; do
    python3 -m benchmarks.engine_clone --device "$device" --sizes 256 1024 4096 --check --gpu-capacity 4194304 \
        --routes clones=auto clones=stage \
        > "$OUT/clone-$device.md" 2> "$OUT/clone-$device.log" || echo "clone $device failed: $?" >> "$OUT/failures.txt"
done
ls -la "$OUT"
