#!/usr/bin/python3
"""Eager PyTorch reference for `flowrecon bench`.

The generator G: z -> x of a flowrecon Glow bundle, written as plain eager PyTorch with the bundle's own
weights (read from generator.onnx by initialiser name), so that both sides compute the same function:

  z = concat(eps_0 .. eps_{L-1}), each level's eps reshaped to [B, c_l, s_l, s_l];
  for l = L-1 .. 0:
    top level:   h = eps * std + mean                               (per-channel)
    split level: (mean, logstd) = conv3x3(h); h = concat(h, eps * exp(logstd) + mean)
    for k = K-1 .. 0 (the reverse flow step):
      a, b = halves of h; (t, raw) = halves of conv3x3(relu(conv1x1(relu(conv3x3(a)))));
      s = sigmoid(raw + 2); h = concat(a, b / s - t)               (coupling^-1)
      h = conv1x1(h, W^-1)                                         (invertible 1x1 conv^-1)
      h = h * exp(-logscale) - bias                                (actnorm^-1)
    h = unsqueeze(h): [B, 4c, s, s] -> [B, c, 2s, 2s], channel c*4 + dy*2 + dx
  x = h + 0.5

(shared/.../prior/GlowGraphs.java and FlowLayers.java). The objective is flowrecon's compressive-sensing one,
L_b = ||A G(z_b) - y_b||^2 with a dense Gaussian A (m x n, N(0, 1/m)), and dL/dz by autograd.

Prints ONE JSON line: forward_ms (median of G(z) under no_grad), objective_ms (median of forward with
autograd + loss + backward to z), ratio, and the configuration. One intra-op thread.

  /usr/bin/python3 bench/pytorch_glow.py --model DIR [--m M] [--batch B] [--repeats N] [--threads 1]
      [--z-std 1.0] [--check]

--check also runs the bundle's generator.onnx with a small numpy/torch interpreter of its nodes and prints
the largest difference from this module's G(z) (to stderr), so a mismatch of architecture shows.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.nn.functional as F


def initialisers(model_dir):
    graph = onnx.load(os.path.join(model_dir, "generator.onnx")).graph
    return {t.name: torch.from_numpy(onnx.numpy_helper.to_array(t).copy()) for t in graph.initializer}


def level_shapes(channels, size, levels):
    """GlowArchitecture.levelShapes(): (channels after squeeze, spatial size, latent channels), finest first."""
    shapes = []
    c, s = channels, size
    for level in range(levels):
        c, s = c * 4, s // 2
        last = level == levels - 1
        shapes.append((c, s, c if last else c // 2))
        c = c // 2
    return shapes


class Glow(torch.nn.Module):
    def __init__(self, arch, weights):
        super().__init__()
        self.shapes = level_shapes(arch["channels"], arch["size"], arch["levels"])
        self.steps = arch["stepsPerLevel"]
        self.latent = arch["channels"] * arch["size"] * arch["size"]
        used = set()

        def w(name):
            used.add(name)
            return torch.nn.Parameter(weights[name], requires_grad=False)

        self.params = torch.nn.ParameterDict()
        for level in range(len(self.shapes)):
            for k in range(self.steps):
                p = f"l{level}.k{k}"
                for name in ("coupling.in.w", "coupling.in.b", "coupling.hidden.w", "coupling.hidden.b",
                             "coupling.out.w", "coupling.out.b", "invconv.winv", "actnorm.invscale",
                             "actnorm.bias"):
                    self.params[self._key(f"{p}.{name}")] = w(f"{p}.{name}")
            names = ("top.std", "top.mean") if level == len(self.shapes) - 1 else ("prior.w", "prior.b")
            for name in names:
                self.params[self._key(f"l{level}.{name}")] = w(f"l{level}.{name}")
        unused = set(weights) - used
        if any(v.numel() > 1 for k, v in weights.items() if k in unused):
            raise SystemExit(f"generator.onnx has weights this module does not use: {sorted(unused)}")

    @staticmethod
    def _key(name):
        return name.replace(".", "_")

    def p(self, name):
        return self.params[self._key(name)]

    def coupling_inverse(self, h, prefix):
        a, b = h.chunk(2, dim=1)
        hidden = F.relu(F.conv2d(a, self.p(prefix + ".coupling.in.w"), self.p(prefix + ".coupling.in.b"), padding=1))
        hidden = F.relu(F.conv2d(hidden, self.p(prefix + ".coupling.hidden.w"), self.p(prefix + ".coupling.hidden.b")))
        t, raw = F.conv2d(hidden, self.p(prefix + ".coupling.out.w"), self.p(prefix + ".coupling.out.b"),
                          padding=1).chunk(2, dim=1)
        s = torch.sigmoid(raw + 2.0)
        return torch.cat([a, b / s - t], dim=1)

    def forward(self, z):
        batch = z.shape[0]
        eps = z.split([c_lat * s * s for (_, s, c_lat) in self.shapes], dim=1)
        h = None
        for level in range(len(self.shapes) - 1, -1, -1):
            c, s, c_lat = self.shapes[level]
            e = eps[level].reshape(batch, c_lat, s, s)
            if h is None:
                h = e * self.p(f"l{level}.top.std") + self.p(f"l{level}.top.mean")
            else:
                mean, logstd = F.conv2d(h, self.p(f"l{level}.prior.w"), self.p(f"l{level}.prior.b"),
                                        padding=1).chunk(2, dim=1)
                h = torch.cat([h, e * torch.exp(logstd) + mean], dim=1)
            for k in range(self.steps - 1, -1, -1):
                prefix = f"l{level}.k{k}"
                h = self.coupling_inverse(h, prefix)
                h = F.conv2d(h, self.p(prefix + ".invconv.winv"))
                h = h * self.p(prefix + ".actnorm.invscale") - self.p(prefix + ".actnorm.bias")
            # unsqueeze: [B, 4c, s, s] -> [B, c, 2, 2, s, s] -> [B, c, s, 2, s, 2] -> [B, c, 2s, 2s]
            c4 = h.shape[1] // 4
            h = h.reshape(batch, c4, 2, 2, s, s).permute(0, 1, 4, 2, 5, 3).reshape(batch, c4, 2 * s, 2 * s)
        return h + 0.5


def reference_generator(model_dir, z):
    """Runs generator.onnx node by node (the ops GlowGraphs writes), for --check."""
    graph = onnx.load(os.path.join(model_dir, "generator.onnx")).graph
    values = {t.name: torch.from_numpy(onnx.numpy_helper.to_array(t).copy()) for t in graph.initializer}
    values[graph.input[0].name] = z
    for node in graph.node:
        a = {at.name: onnx.helper.get_attribute_value(at) for at in node.attribute}
        x = [values[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            out = [torch.from_numpy(onnx.numpy_helper.to_array(a["value"]).copy())]
        elif op in ("Add", "Sub", "Mul", "Div"):
            out = [{"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": torch.div}[op](x[0], x[1])]
        elif op in ("Exp", "Relu", "Sigmoid", "Neg", "Identity"):
            out = [{"Exp": torch.exp, "Relu": torch.relu, "Sigmoid": torch.sigmoid, "Neg": torch.neg,
                    "Identity": lambda v: v}[op](x[0])]
        elif op == "Reshape":
            shape = [int(d) for d in x[1].tolist()]
            shape = [x[0].shape[i] if d == 0 else d for i, d in enumerate(shape)]
            out = [x[0].reshape(shape)]
        elif op == "Transpose":
            out = [x[0].permute(*a["perm"])]
        elif op == "Concat":
            out = [torch.cat(x, dim=a["axis"])]
        elif op == "Split":
            sizes = [int(v) for v in (x[1].tolist() if len(x) > 1 else a["split"])]
            out = list(x[0].split(sizes, dim=a.get("axis", 0)))
        elif op == "Conv":
            pads = a.get("pads", [0, 0, 0, 0])
            out = [F.conv2d(x[0], x[1], x[2] if len(x) > 2 else None, stride=a.get("strides", [1, 1]),
                            padding=(pads[0], pads[1]), dilation=a.get("dilations", [1, 1]), groups=a.get("group", 1))]
        else:
            raise SystemExit(f"--check: operator {op} is not interpreted")
        for name, v in zip(node.output, out):
            values[name] = v
    return values[graph.output[0].name]


def blas_library():
    """The BLAS shared library this process loaded (Debian's torch uses whatever libblas.so.3 resolves to)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]}
    return ",".join(sorted(paths)) or "none"


def median_millis(fn, repeats):
    fn()  # warm-up: first call allocates
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="a flowrecon Glow bundle (model init-glow --out DIR)")
    parser.add_argument("--m", type=int, default=0, help="measurements; default n / 4")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--z-std", type=float, default=1.0,
                        help="z ~ N(0, z_std^2); random-init Glows overflow to NaN at 1 (pass what bench --z-std gets)")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    with open(os.path.join(args.model, "model.json")) as f:
        card = json.load(f)
    arch = card["architecture"]
    if arch.get("family") != "glow":
        raise SystemExit(f"{args.model}: architecture.family must be glow, got {arch.get('family')}")
    glow = Glow(arch, initialisers(args.model)).eval()
    n = glow.latent
    m = args.m or n // 4
    gen = torch.Generator().manual_seed(7)
    a_t = (torch.randn(m, n, generator=gen) / m ** 0.5).t().contiguous()  # [n, m], like the graph's A^T initialiser
    y = 0.1 * torch.randn(args.batch, m, generator=gen)
    z0 = args.z_std * torch.randn(args.batch, n, generator=gen)

    if args.check:
        with torch.no_grad():
            ours = glow(z0)
            if not torch.isfinite(ours).all():
                raise SystemExit("check: G(z) is not finite at this z; lower --z-std")
            diff = (ours - reference_generator(args.model, z0)).abs().max().item()
        print(f"check: max |G_torch(z) - G_onnx(z)| = {diff:.3e}", file=sys.stderr)
        if not diff < 1e-3:
            raise SystemExit("check failed: the PyTorch module differs from generator.onnx")

    def forward():
        with torch.no_grad():
            glow(z0)

    grad = torch.empty_like(z0)

    def objective():
        z = z0.detach().requires_grad_(True)
        residual = glow(z).reshape(args.batch, n) @ a_t - y
        loss = (residual * residual).sum(dim=1)  # [B]: per-image losses; sum_b L_b has gradient dL_b/dz_b
        loss.sum().backward()
        grad.copy_(z.grad)
        return loss

    if not torch.isfinite(objective()).all():
        print("warning: the loss at z is not finite (lower --z-std); timings of NaN arithmetic", file=sys.stderr)
    forward_ms = median_millis(forward, args.repeats)
    objective_ms = median_millis(objective, args.repeats)
    print(json.dumps({"engine": "pytorch-eager", "torch": torch.__version__, "model": card.get("id"), "m": m,
                      "batch": args.batch, "threads": torch.get_num_threads(),
                      "z_std": args.z_std, "blas": blas_library(), "forward_ms": round(forward_ms, 3),
                      "objective_ms": round(objective_ms, 3), "ratio": round(objective_ms / forward_ms, 3)}))


if __name__ == "__main__":
    main()
