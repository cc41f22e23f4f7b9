#!/usr/bin/env python3
"""Checks what helm/flowrecon renders: the properties an operator relies on, which `helm lint` cannot see.

Usage: check-manifests.py DEFAULT KEDA CONFIG_CHANGED SECRET_CHANGED S3
  DEFAULT         `helm template` with the chart's values (autoscaling off)
  KEDA            the same with worker.autoscaling.enabled=true
  CONFIG_CHANGED  DEFAULT with another kafka.bootstrapServers
  SECRET_CHANGED  DEFAULT with another database.password
  S3              DEFAULT with bundleStore.kind=s3, bucket priors, endpoint http://minio:9000, credentialsSecret s3-keys
Prints every failed check and exits 1 if there is one.
"""
import sys

import yaml

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def load(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d]


def of_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d.get("kind") == kind}


def check_deployment(name, deployment):
    pod = deployment["spec"]["template"]
    spec = pod["spec"]
    annotations = pod["metadata"].get("annotations", {})
    for key in ("checksum/config", "checksum/secret"):
        check(key in annotations, f"{name}: no {key} annotation, so a configuration change would not roll the pods")
    pod_security = spec.get("securityContext", {})
    check(pod_security.get("runAsNonRoot") is True, f"{name}: pod securityContext lacks runAsNonRoot: true")
    tmp_volumes = {v["name"] for v in spec.get("volumes", []) if "emptyDir" in v}
    for container in spec["containers"]:
        where = f"{name}/{container['name']}"
        security = container.get("securityContext", {})
        check(security.get("allowPrivilegeEscalation") is False, f"{where}: allowPrivilegeEscalation is not false")
        check("ALL" in security.get("capabilities", {}).get("drop", []), f"{where}: capabilities do not drop ALL")
        if security.get("readOnlyRootFilesystem"):
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            check(mounts.get("/tmp") in tmp_volumes, f"{where}: read-only root filesystem without an emptyDir on /tmp")
        else:
            failures.append(f"{where}: root filesystem is writable")
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            check(probe in container, f"{where}: no {probe}")


def check_budgets(docs, deployments):
    budgets = of_kind(docs, "PodDisruptionBudget")
    for name, deployment in deployments.items():
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        covering = [b for b in budgets.values()
                    if b["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()]
        check(len(covering) == 1, f"{name}: {len(covering)} PodDisruptionBudgets select its pods, want 1")


def worker_of(deployments):
    workers = [n for n in deployments if n.endswith("-worker")]
    check(len(workers) == 1, f"want one worker Deployment, found {workers}")
    return workers[0] if workers else None


def check_scaling(default_docs, keda_docs):
    check(not of_kind(default_docs, "ScaledObject"), "autoscaling is off by default, yet a ScaledObject is rendered")
    default_worker = worker_of(of_kind(default_docs, "Deployment"))
    if default_worker:
        check("replicas" in of_kind(default_docs, "Deployment")[default_worker]["spec"],
              "autoscaling off: the worker Deployment has no replica count")

    deployments = of_kind(keda_docs, "Deployment")
    worker = worker_of(deployments)
    scaled = list(of_kind(keda_docs, "ScaledObject").values())
    check(len(scaled) == 1, f"autoscaling on: want one ScaledObject, found {len(scaled)}")
    if not scaled or not worker:
        return
    spec = scaled[0]["spec"]
    target = spec["scaleTargetRef"]
    check(target.get("kind", "Deployment") == "Deployment" and target["name"] == worker,
          f"the ScaledObject targets {target}, not the worker Deployment {worker}")
    check("replicas" not in deployments[worker]["spec"],
          "autoscaling on: the worker Deployment still sets replicas, which would fight KEDA on every upgrade")
    check(spec["minReplicaCount"] <= spec["maxReplicaCount"], "minReplicaCount exceeds maxReplicaCount")
    triggers = spec["triggers"]
    check(len(triggers) == 1 and triggers[0]["type"] == "postgresql", f"want one postgresql trigger: {triggers}")
    query = triggers[0]["metadata"]["query"]
    check("FROM jobs" in query and "'QUEUED'" in query, f"the trigger does not count queued jobs: {query}")
    auth = triggers[0].get("authenticationRef", {}).get("name")
    check(auth in of_kind(keda_docs, "TriggerAuthentication"), f"the trigger's TriggerAuthentication {auth} is not rendered")
    check_budgets(keda_docs, deployments)


def checksums(docs):
    return {name: d["spec"]["template"]["metadata"]["annotations"] for name, d in of_kind(docs, "Deployment").items()}


def check_rollouts(default_docs, config_changed, secret_changed):
    before = checksums(default_docs)
    for name, changed in checksums(config_changed).items():
        check(changed.get("checksum/config", "") != before[name].get("checksum/config", ""),
              f"{name}: checksum/config unchanged although the ConfigMap changed")
        check(changed.get("checksum/secret") == before[name].get("checksum/secret"),
              f"{name}: checksum/secret changed although only the ConfigMap did")
    for name, changed in checksums(secret_changed).items():
        check(changed.get("checksum/secret", "") != before[name].get("checksum/secret", ""),
              f"{name}: checksum/secret unchanged although the Secret changed")


def env_of(container):
    return {e["name"]: e.get("value") for e in container.get("env", [])}


def check_bundle_store(default_docs, s3_docs):
    """Both services read one bundle store: the database by default, the object store and its keys with kind s3."""
    default_config = next(d for d in of_kind(default_docs, "ConfigMap").values() if "FLOWRECON_DB_URL" in d["data"])["data"]
    check(default_config.get("FLOWRECON_BUNDLE_STORE") == "postgres", "the default bundle store is not postgres")
    check(not any(k.startswith("FLOWRECON_S3_") for k in default_config), "S3 settings rendered without bundleStore s3")
    s3_config = next(d for d in of_kind(s3_docs, "ConfigMap").values() if "FLOWRECON_DB_URL" in d["data"])["data"]
    want = {"FLOWRECON_BUNDLE_STORE": "s3", "FLOWRECON_S3_BUCKET": "priors", "FLOWRECON_S3_ENDPOINT": "http://minio:9000"}
    for key, value in want.items():
        check(s3_config.get(key) == value, f"with bundleStore s3 the ConfigMap has {key}={s3_config.get(key)!r}, want {value!r}")
    for name, deployment in of_kind(s3_docs, "Deployment").items():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            secrets = [e["secretRef"]["name"] for e in container.get("envFrom", []) if "secretRef" in e]
            check("s3-keys" in secrets, f"{name}/{container['name']}: the object store's credentials Secret is not in envFrom")
    for name, deployment in of_kind(default_docs, "Deployment").items():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            check(not any("secretRef" in e for e in container.get("envFrom", [])),
                  f"{name}/{container['name']}: a credentials Secret without an object store")
    deployments = of_kind(default_docs, "Deployment")
    worker = deployments[worker_of(deployments)]
    batch = env_of(worker["spec"]["template"]["spec"]["containers"][0]).get("FLOWRECON_WORKER_BATCH")
    check(batch == "1", f"the worker's FLOWRECON_WORKER_BATCH is {batch!r}, want the default '1'")


def main(default_path, keda_path, config_changed_path, secret_changed_path, s3_path):
    default_docs = load(default_path)
    keda_docs = load(keda_path)
    deployments = of_kind(default_docs, "Deployment")
    check(len(deployments) == 2, f"want the api and worker Deployments, found {sorted(deployments)}")
    for name, deployment in deployments.items():
        check_deployment(name, deployment)
    check_budgets(default_docs, deployments)
    check_scaling(default_docs, keda_docs)
    check_rollouts(default_docs, load(config_changed_path), load(secret_changed_path))
    check_bundle_store(default_docs, load(s3_path))
    for failure in failures:
        print("helm/flowrecon:", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
