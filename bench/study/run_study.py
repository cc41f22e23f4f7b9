#!/usr/bin/python3
"""The paper's study (Asim et al., ICML 2020) through the flowrecon service, as docs/RESULTS.md reports it.

Submits each experiment to a running stack (`./flowrecon up --no-demo`), waits for it, and downloads what the
service makes of it: the summary (JSON and CSV), one CSV row per job, the plot (PNG and SVG) and the image grid,
into docs/results/<experiment>/. Image sets: `celeba-test` and `ffhq-dev` are declared by the server from
FLOWRECON_DATA; `fmnist-bags` (the class the biased priors never saw) is uploaded from Debian's
dataset-fashion-mnist. Reruns are cheap: the service reuses every result whose spec, inputs and model are
unchanged.

    /usr/bin/python3 bench/study/run_study.py --list
    /usr/bin/python3 bench/study/run_study.py cs-celeba denoise-glow-gamma ...

Needs only the Python standard library (and Pillow for the Fashion-MNIST upload).
"""
import argparse
import base64
import gzip
import io
import json
import pathlib
import sys
import time
import urllib.error
import urllib.request

IMAGES = 24
RATIOS = [0.02, 0.05, 0.1, 0.25, 0.5, 1.0]
CS_NOISE = {"kind": "gaussian-norm", "norm": 0.1}
# Solver steps cut for the shared 2-core machine (the defaults are 2000 Deep Decoder steps; docs/RESULTS.md)
DEEP_DECODER_STEPS = 500
# a grid axis value chosen after the run: the value of the cell with the highest mean PSNR
BEST = object()


def cs(models, image_set, solver=None):
    body = {"images": image_set, "models": models,
            "problems": [{"kind": "compressive-sensing", "ratio": RATIOS, "operator": "gaussian", "noise": CS_NOISE}],
            "seeds": {"operator": [7], "noise": [8]}}
    if solver:
        body["solver"] = solver
    return body, {"x": "ratio", "scale": "log"}, {"ratio": 0.1}


def denoise(models, stds, gammas, image_set, solver=None):
    body = {"images": image_set, "models": models,
            "problems": [{"kind": "denoising", "noise": [{"kind": "gaussian", "std": s} for s in stds]}],
            "solver": dict(solver or {}, gamma=gammas), "seeds": {"noise": [1]}}
    # the image grid shows one cell per model: the middle noise level and, with several gammas, the best one there
    grid = {"noiseStd": stds[len(stds) // 2]} if len(stds) > 1 else {}
    if len(gammas) > 1:
        grid["gamma"] = BEST
    return body, {"x": "gamma"}, grid


def inpaint(models, image_set, solver=None):
    body = {"images": image_set, "models": models,
            "problems": [{"kind": "inpainting", "mask": {"kind": "center-block", "size": 12}}]}
    if solver:
        body["solver"] = solver
    return body, None, {}


def experiments(sets):
    faces = {"imageSet": sets["celeba-test"], "indices": list(range(IMAGES))}
    ffhq = {"imageSet": sets["ffhq-dev"], "indices": list(range(IMAGES))}
    dd = {"steps": [DEEP_DECODER_STEPS]}
    priors = ["celeba32-glow", "celeba32-dcgan", "lasso-dct"]
    table = {
        "cs-celeba": lambda: cs(priors, faces),
        "cs-celeba-dd": lambda: cs(["deep-decoder"], faces, dd),
        "cs-ffhq": lambda: cs(priors, ffhq),
        "cs-ffhq-dd": lambda: cs(["deep-decoder"], ffhq, dd),
        "denoise-glow-gamma": lambda: denoise(["celeba32-glow"], [0.1],
                                              [0, 0.005, 0.01, 0.05, 0.25], faces),
        "denoise-glow-std": lambda: denoise(["celeba32-glow"], [0.05, 0.2], [0, 0.005, 0.01, 0.025, 0.05], faces),
        "denoise-baselines": lambda: denoise(["celeba32-dcgan", "lasso-dct"], [0.05, 0.1, 0.2], [0], faces),
        "denoise-dd": lambda: denoise(["deep-decoder"], [0.05, 0.1, 0.2], [0], faces, dd),
        "inpaint": lambda: inpaint(priors, faces),
        "inpaint-dd": lambda: inpaint(["deep-decoder"], faces, dd),
        "bias-fmnist": lambda: ({"images": {"imageSet": sets["fmnist-bags"]},
                                 "models": ["fmnist-glow", "fmnist-biased-glow", "fmnist-dcgan", "fmnist-biased-dcgan",
                                            "lasso-dct"],
                                 "problems": [{"kind": "compressive-sensing", "ratio": [0.1, 0.25, 0.5],
                                               "operator": "gaussian", "noise": CS_NOISE}],
                                 "seeds": {"operator": [7], "noise": [8]}},
                                {"x": "ratio"}, {"ratio": 0.25}),
        # The same faces at 32 x 32 and 64 x 64 (one resize), denoised by the two untrained baselines: how much
        # of the denoising gain is the resolution rather than the prior
        "denoise-res32": lambda: denoise(["deep-decoder", "lasso-dct"], [0.1], [0],
                                         {"imageSet": sets["celeba-pil32"]}, dd),
        "denoise-res64": lambda: denoise(["deep-decoder", "lasso-dct"], [0.1], [0],
                                         {"imageSet": sets["celeba-pil64"]}, dd),
        "init-ablation": lambda: ({"images": faces, "models": ["celeba32-glow"],
                                   "problems": [{"kind": "compressive-sensing", "ratio": 0.1, "operator": "gaussian",
                                                 "noise": CS_NOISE}],
                                   "solver": {"init": [{"kind": "zero"}, {"kind": "random", "std": 0.1, "seed": 3},
                                                       {"kind": "random", "std": 0.7, "seed": 3}]},
                                   "seeds": {"operator": [7], "noise": [8]}}, None, None),
    }
    return table


class Api:
    def __init__(self, base, key):
        self.base = base.rstrip("/")
        self.key = key

    def call(self, method, path, body=None, raw=False):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Authorization": "Bearer " + self.key, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                payload = response.read()
        except urllib.error.HTTPError as e:
            raise SystemExit(f"{method} {path}: {e.code} {e.read().decode(errors='replace')}")
        return payload if raw else json.loads(payload)


def fmnist_bags(count=IMAGES, label=8):
    """The first `count` Fashion-MNIST test images of class `label` (bags), as base64 PNGs."""
    from PIL import Image
    root = pathlib.Path("/usr/share/datasets/fashion-mnist")
    with gzip.open(root / "t10k-labels-idx1-ubyte.gz") as f:
        labels = f.read()[8:]
    with gzip.open(root / "t10k-images-idx3-ubyte.gz") as f:
        pixels = f.read()[16:]
    images = []
    for i, value in enumerate(labels):
        if value == label and len(images) < count:
            png = io.BytesIO()
            Image.frombytes("L", (28, 28), pixels[784 * i: 784 * (i + 1)]).save(png, format="PNG")
            images.append({"name": f"t10k-{i:05d}.png", "png": base64.b64encode(png.getvalue()).decode()})
    return images


def celeba_faces(size, count=IMAGES):
    """CelebA test faces 009001.. cropped as shared.image.CelebaFaces does (89 x 89 from row 10), area-resized."""
    from PIL import Image
    root = pathlib.Path(__import__("os").environ.get("FLOWRECON_DATA", "../shared/data")) / "celeba"
    images = []
    for number in range(9001, 9001 + count):
        face = Image.open(root / f"{number:06d}.jpg").convert("RGB").crop((0, 10, 89, 99))
        png = io.BytesIO()
        face.resize((size, size), Image.BOX).save(png, format="PNG")
        images.append({"name": f"{number:06d}.png", "png": base64.b64encode(png.getvalue()).decode()})
    return images


def image_sets(api):
    sets = {s["name"]: s["id"] for s in api.call("GET", "/api/v1/image-sets")["imageSets"]}
    uploads = {"fmnist-bags": fmnist_bags, "celeba-pil32": lambda: celeba_faces(32),
               "celeba-pil64": lambda: celeba_faces(64)}
    for name, images in uploads.items():
        if name not in sets:
            sets[name] = api.call("POST", "/api/v1/image-sets", {"name": name, "images": images()})["id"]
    return sets


def submit(api, name, spec, out):
    body = dict(spec[0], name=name)
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    created = api.call("POST", "/api/v1/experiments", body)
    print(f"{name}: {created['count']} jobs, {created['reused']} reused, estimate {created['estimatedSeconds']:.0f} s",
          flush=True)
    (folder / "experiment.json").write_text(json.dumps(body, indent=1) + "\n")
    return created["id"]


def collect(api, name, spec, experiment, out, poll_seconds, deadline):
    """Waits for the experiment (until the deadline, if any) and downloads its summaries, CSVs and plots."""
    _, plot, grid = spec
    folder = out / name
    exp = f"/api/v1/experiments/{experiment}"
    while True:
        summary = api.call("GET", exp)
        p = summary["progress"]
        if p["done"] >= p["total"]:
            break
        if deadline and time.time() > deadline:
            print(f"{name}: deadline reached at {p['done']}/{p['total']}; downloading what is done", flush=True)
            break
        print(f"  {name}: {p['done']}/{p['total']} done, {p['running']} running, eta {p['etaSeconds']:.0f} s",
              flush=True)
        time.sleep(poll_seconds)
    summary.pop("spec", None)
    (folder / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    (folder / "summary.csv").write_bytes(api.call("GET", exp + "?format=csv", raw=True))
    (folder / "jobs.csv").write_bytes(api.call("GET", exp + "/jobs.csv", raw=True))
    if plot:
        query = "&".join(f"{k}={v}" for k, v in plot.items())
        for metric in ("psnr", "ssim"):
            (folder / f"plot-{metric}.png").write_bytes(api.call("GET", f"{exp}/plot.png?{query}&metric={metric}",
                                                                 raw=True))
        (folder / "plot-psnr.svg").write_bytes(api.call("GET", f"{exp}/plot.svg?{query}&metric=psnr", raw=True))
    if grid is None:  # no single cell per model to show (e.g. several inits of one model)
        return
    fixed = {k: v for k, v in grid.items() if v is not BEST}
    grid = {k: best_value(summary, k, fixed) if v is BEST else v for k, v in grid.items()}
    query = "&".join([f"{k}={v}" for k, v in grid.items()] + ["images=6"])
    (folder / "grid.png").write_bytes(api.call("GET", f"{exp}/grid.png?{query}", raw=True))


def best_value(summary, axis, fixed):
    """The value of `axis` in the summary's cell with the highest mean PSNR among those matching `fixed`."""
    cells = [c for c in summary["cells"] if c.get("psnr", {}).get("mean") is not None
             and all(c["axes"].get(k) == v for k, v in fixed.items())]
    return max(cells, key=lambda c: c["psnr"]["mean"])["axes"][axis]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="experiments to run (default: all, in order)")
    parser.add_argument("--api", default="http://localhost:8080")
    parser.add_argument("--key-file", default=".flowrecon/api-key",
                        help="the API key (the local stack keeps its own there)")
    parser.add_argument("--out", default="docs/results")
    parser.add_argument("--poll", type=float, default=30)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--minutes", type=float, default=0,
                        help="stop waiting after this long and download the partial summaries (0: wait)")
    args = parser.parse_args()
    api = Api(args.api, pathlib.Path(args.key_file).read_text().strip() if not args.list else "")
    placeholder = {k: "-" for k in ("celeba-test", "ffhq-dev", "fmnist-bags", "celeba-pil32", "celeba-pil64")}
    if args.list:
        print("\n".join(experiments(placeholder)))
        return
    deadline = time.time() + 60 * args.minutes if args.minutes else None
    table = experiments(image_sets(api))
    names = args.names or list(table)
    for name in names:
        if name not in table:
            sys.exit(f"unknown experiment {name}; known: {', '.join(table)}")
    out = pathlib.Path(args.out)
    # all submitted first, so that the workers never idle between experiments; collected in order
    submitted = [(name, table[name](), submit(api, name, table[name](), out)) for name in names]
    for name, spec, experiment in submitted:
        collect(api, name, spec, experiment, out, args.poll, deadline)


if __name__ == "__main__":
    main()
