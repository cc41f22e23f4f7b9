#!/usr/bin/env python3
"""Static checks of compose/ and docker/ (there is no Docker daemon in CI): what each file promises an operator.

Prints every failed check and exits 1 if there is one.
"""
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


class ComposeLoader(yaml.SafeLoader):
    """Compose's own tags (!reset, !override) read as plain values."""


def _untagged(loader, node):
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return loader.construct_scalar(node)


for tag in ("!reset", "!override"):
    ComposeLoader.add_constructor(tag, _untagged)


def compose(name):
    return yaml.load((ROOT / "compose" / name).read_text(encoding="utf-8"), Loader=ComposeLoader)


def stages(dockerfile):
    """Stage name -> its instructions, in order."""
    result, current = {}, None
    for line in (ROOT / "docker" / dockerfile).read_text(encoding="utf-8").replace("\\\n", " ").splitlines():
        line = line.strip()
        match = re.match(r"FROM\s+\S+(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
        if match:
            current = match.group(1) or f"stage{len(result)}"
            result[current] = []
        elif current and line and not line.startswith("#"):
            result[current].append(line)
    return result


def user_of(instructions):
    users = [i.split(None, 1)[1] for i in instructions if i.upper().startswith("USER ")]
    return users[-1] if users else "root"


def check_kafka(services, volumes):
    kafka = services["kafka"]
    log_dirs = kafka["environment"].get("KAFKA_LOG_DIRS")
    mounts = {m.split(":")[1]: m.split(":")[0] for m in kafka.get("volumes", [])}
    check(log_dirs in mounts, f"kafka: KAFKA_LOG_DIRS={log_dirs} is not a mounted volume ({sorted(mounts)})")
    check(mounts.get(log_dirs) in volumes, f"kafka: the volume on {log_dirs} is not a named volume")


def check_services(services, cpu_override):
    for name in ("api", "worker"):
        service = services[name]
        check(service.get("read_only") is True, f"{name}: root filesystem not read-only")
        check("/tmp" in service.get("tmpfs", []), f"{name}: no tmpfs on /tmp")
        check("ALL" in service.get("cap_drop", []), f"{name}: capabilities not dropped")
    check(services["worker"]["build"].get("target") == "gpu", "compose.yaml: the worker is not the gpu target")
    check(cpu_override["services"]["worker"]["build"].get("target") == "cpu",
          "compose.cpu.yaml: the worker is not the cpu target")


def check_images():
    worker = stages("worker.Dockerfile")
    for target in ("cpu", "gpu"):
        check(target in worker, f"worker.Dockerfile: no {target} target")
    check(any("-Pgpu" in i for i in worker.get("build-gpu", [])), "worker.Dockerfile: build-gpu does not build with -Pgpu")
    check(not any("-Pgpu" in i for i in worker.get("build-cpu", [])), "worker.Dockerfile: build-cpu builds with -Pgpu")
    check(any("--from=build-gpu" in i for i in worker.get("gpu", [])), "worker.Dockerfile: gpu does not copy build-gpu")
    check(any("--from=build-cpu" in i for i in worker.get("cpu", [])), "worker.Dockerfile: cpu does not copy build-cpu")
    api = stages("api.Dockerfile")
    finals = {"worker cpu": worker.get("cpu", []), "worker gpu": worker.get("gpu", []),
              "api": list(api.values())[-1]}
    for name, instructions in finals.items():
        user = user_of(instructions).split(":")[0]
        check(re.fullmatch(r"[1-9][0-9]*", user) is not None,
              f"{name} image: runs as {user!r}, want a numeric non-root user (runAsNonRoot checks it)")


def check_dockerignore():
    entries = {line.strip().rstrip("/") for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()}
    for wanted in (".git", "**/target", ".flowrecon", "training"):
        check(wanted in entries, f".dockerignore: {wanted} is not excluded")


def main():
    base = compose("compose.yaml")
    check_kafka(base["services"], base.get("volumes", {}))
    check_services(base["services"], compose("compose.cpu.yaml"))
    check_images()
    check_dockerignore()
    for failure in failures:
        print("compose/docker:", failure, file=sys.stderr)
    if not failures:
        print("check-compose: compose/, docker/ and .dockerignore pass")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
