#!/usr/bin/python3
"""Exports small PyTorch priors with torch.onnx.export, as a user of flowrecon would, for adjoint's tests.

Run by hand with Debian's torch (python3-torch; CI only reads the committed files):

    /usr/bin/python3 tools/torch-export/export_fixtures.py [OUT_DIR]

OUT_DIR defaults to adjoint/src/test/resources/torch. For each fixture it writes NAME.onnx and, as serialised
ONNX TensorProtos, NAME.input.pb (a fixed input of batch 2), NAME.output.pb (torch's output for it),
NAME.probe.pb and NAME.gradient.pb (a random probe w of the output's shape and torch autograd's J^T w), and
one manifest.json (torch version, opset, seed, shapes, sha256 of every file). Weights are random but scaled so that samples stay in the declared value range;
nothing here is trained.

The three generators, each latent [batch, latent] -> image [batch, C, H, W] with a dynamic batch axis:
  glow16         Glow (Kingma & Dhariwal 2018), 3x16x16, L=2 levels, K=2 steps (actnorm, invertible 1x1 conv,
                 affine coupling), in logit space: image = sigmoid(flow^-1(z)) as RealNVP's logit transform
                 (Dinh et al. 2017, section 4.1); glow16-encoder is its inverse, image -> latent.
  dcgan16        DCGAN generator (Radford et al. 2016): Linear, BatchNorm (eval), ReLU, ConvTranspose, Tanh,
                 mapped to [0, 1].
  deepdecoder32  a decoder of the Deep Decoder kind (Heckel & Hand 2019): 1x1 convs, upsampling (bilinear,
                 nearest, align_corners, to a size), ReLU, normalisation, sigmoid; 3x32x32.
Opset 17 for all; dcgan16 and deepdecoder32 also at opset 13 (the oldest opset flowrecon reads), the latter
without constant folding, so that the shape chains stay in the graph as torch writes them; glow16 and
deepdecoder32 also at opset 18, rewritten by hand from opset 17 (torch 1.13 stops at 17).
ops/ holds one small module per operator pattern torch writes for decoder code, at opsets 13, 17 (and 18 for
a few), listed in ops/index.txt.
"""
import hashlib
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import numpy as np
import onnx
from onnx import numpy_helper

SEED = 20261203
REFERENCE_BATCH = 2


# ---- Glow ----

def squeeze2d(x):
    """2x2 space-to-depth: [B, C, H, W] -> [B, 4C, H/2, W/2], channel = c*4 + dy*2 + dx."""
    b, c, h, w = x.size(0), x.size(1), x.size(2), x.size(3)
    x = x.reshape(b, c, h // 2, 2, w // 2, 2)
    x = x.permute(0, 1, 3, 5, 2, 4)
    return x.reshape(b, c * 4, h // 2, w // 2)


def unsqueeze2d(x):
    b, c, h, w = x.size(0), x.size(1), x.size(2), x.size(3)
    x = x.reshape(b, c // 4, 2, 2, h, w)
    x = x.permute(0, 1, 4, 2, 5, 3)
    return x.reshape(b, c // 4, h * 2, w * 2)


class ActNorm(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bias = nn.Parameter(0.1 * torch.randn(1, c, 1, 1))
        self.logs = nn.Parameter(0.1 * torch.randn(1, c, 1, 1))

    def forward(self, x):
        return (x + self.bias) * torch.exp(self.logs)

    def reverse(self, y):
        return y * torch.exp(-self.logs) - self.bias


class InvConv(nn.Module):
    """Invertible 1x1 convolution with a random rotation (orthogonal) weight; its inverse is precomputed."""

    def __init__(self, c):
        super().__init__()
        q, _ = torch.linalg.qr(torch.randn(c, c))
        self.weight = nn.Parameter(q.reshape(c, c, 1, 1))
        self.register_buffer("inverse", torch.linalg.inv(q).reshape(c, c, 1, 1))

    def forward(self, x):
        return F.conv2d(x, self.weight)

    def reverse(self, y):
        return F.conv2d(y, self.inverse)


class Coupling(nn.Module):
    """Affine coupling: x_b -> (x_b + t) * s with s = sigmoid(h + 2) and (log s, t) from x_a (openai/glow)."""

    def __init__(self, c, hidden):
        super().__init__()
        self.nn = nn.Sequential(
            nn.Conv2d(c // 2, hidden, 3, padding=1), nn.ReLU(),
            nn.Conv2d(hidden, hidden, 1), nn.ReLU(),
            nn.Conv2d(hidden, c, 3, padding=1))
        with torch.no_grad():
            self.nn[4].weight.mul_(0.1)
            self.nn[4].bias.mul_(0.1)

    def scale_shift(self, xa):
        h = self.nn(xa)
        # openai/glow interleaves the two halves of h: a strided Slice in the export.
        return torch.sigmoid(h[:, 0::2] + 2.0), h[:, 1::2]

    def forward(self, x):
        xa, xb = x.chunk(2, dim=1)
        s, t = self.scale_shift(xa)
        return torch.cat([xa, (xb + t) * s], dim=1)

    def reverse(self, y):
        ya, yb = y.chunk(2, dim=1)
        s, t = self.scale_shift(ya)
        return torch.cat([ya, yb / s - t], dim=1)


class FlowStep(nn.Module):
    def __init__(self, c, hidden):
        super().__init__()
        self.actnorm = ActNorm(c)
        self.invconv = InvConv(c)
        self.coupling = Coupling(c, hidden)

    def forward(self, x):
        return self.coupling(self.invconv(self.actnorm(x)))

    def reverse(self, y):
        return self.actnorm.reverse(self.invconv.reverse(self.coupling.reverse(y)))


class Glow(nn.Module):
    """Multi-scale Glow; the latent is eps_0 .. eps_{L-1} flattened and concatenated (level 0 = finest split)."""

    def __init__(self, channels=3, size=16, levels=2, steps=2, hidden=16):
        super().__init__()
        self.shapes = []
        self.levels = nn.ModuleList()
        c, s = channels, size
        for level in range(levels):
            c, s = c * 4, s // 2
            self.levels.append(nn.ModuleList([FlowStep(c, hidden) for _ in range(steps)]))
            if level < levels - 1:
                self.shapes.append((c // 2, s, s))
                c = c // 2
        self.shapes.append((c, s, s))
        self.image = (channels, size, size)
        self.latent = sum(a * b * d for a, b, d in self.shapes)

    def encode(self, image):
        # logit written out: torch 1.13 has no ONNX symbolic for aten::logit.
        p = image.clamp(1e-4, 1 - 1e-4)
        x = torch.log(p) - torch.log(1 - p)
        eps = []
        for level, steps in enumerate(self.levels):
            x = squeeze2d(x)
            for step in steps:
                x = step(x)
            if level < len(self.levels) - 1:
                x, e = x.chunk(2, dim=1)
                eps.append(e)
        eps.append(x)
        return torch.cat([e.flatten(1) for e in eps], dim=1)

    def generate(self, z):
        sizes = [a * b * d for a, b, d in self.shapes]
        parts = torch.split(z, sizes, dim=1)
        x = parts[-1].reshape(-1, *self.shapes[-1])
        for level in reversed(range(len(self.levels))):
            if level < len(self.levels) - 1:
                x = torch.cat([x, parts[level].reshape(-1, *self.shapes[level])], dim=1)
            for step in reversed(self.levels[level]):
                x = step.reverse(x)
            x = unsqueeze2d(x)
        return torch.sigmoid(x)


class Direction(nn.Module):
    def __init__(self, glow, method):
        super().__init__()
        self.glow = glow
        self.method = method

    def forward(self, x):
        return getattr(self.glow, self.method)(x)


# ---- DCGAN ----

class Dcgan(nn.Module):
    def __init__(self, latent=32, features=16, channels=3):
        super().__init__()
        self.features = features
        self.project = nn.Sequential(nn.Linear(latent, 4 * features * 4 * 4), nn.BatchNorm1d(4 * features * 16),
                                     nn.ReLU())
        self.body = nn.Sequential(
            nn.ConvTranspose2d(4 * features, 2 * features, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * features),
            nn.ReLU(),
            nn.ConvTranspose2d(2 * features, channels, 4, 2, 1), nn.Tanh())
        self.latent = latent
        self.image = (channels, 16, 16)

    def forward(self, z):
        h = self.project(z).view(z.size(0), 4 * self.features, 4, 4)
        return (self.body(h) + 1) * 0.5


# ---- Deep Decoder ----

class DeepDecoder(nn.Module):
    """1x1 conv, upsample, ReLU, channel normalisation per layer (Heckel & Hand 2019), last 1x1 conv, sigmoid.
    The four upsamplings differ on purpose: the Resize variants torch writes."""

    def __init__(self, k=8, channels=3):
        super().__init__()
        self.k = k
        self.convs = nn.ModuleList([nn.Conv2d(k, k, 1, bias=False) for _ in range(3)])
        self.norms = nn.ModuleList([nn.BatchNorm2d(k), nn.InstanceNorm2d(k, affine=True), nn.BatchNorm2d(k)])
        self.out = nn.Conv2d(k, channels, 1)
        self.latent = k * 4 * 4
        self.image = (channels, 32, 32)

    def forward(self, z):
        x = z.view(-1, self.k, 4, 4)
        x = self.convs[0](x)
        x = F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)
        x = self.norms[0](F.relu(x))
        x = self.convs[1](x)
        x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        x = self.norms[1](F.leaky_relu(x, 0.2))
        x = self.convs[2](x)
        x = F.interpolate(x, size=(32, 32), mode="bilinear", align_corners=True)
        x = self.norms[2](F.relu(x))
        return torch.sigmoid(self.out(x))


def randomize_batch_norms(model):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                m.running_mean.copy_(0.1 * torch.randn_like(m.running_mean))
                m.running_var.copy_(0.5 + torch.rand_like(m.running_var))
                m.weight.copy_(1 + 0.1 * torch.randn_like(m.weight))
                m.bias.copy_(0.1 * torch.randn_like(m.bias))
            if isinstance(m, nn.InstanceNorm2d) and m.affine:
                m.weight.copy_(1 + 0.1 * torch.randn_like(m.weight))
                m.bias.copy_(0.1 * torch.randn_like(m.bias))


# ---- one operator pattern each: what torch.onnx.export writes for common decoder code ----

def flat(*parts):
    return torch.cat([p.flatten(1) for p in parts], dim=1)


class Case(nn.Module):
    def __init__(self, fn, *modules):
        super().__init__()
        self.fn = fn
        self.mods = nn.ModuleList(modules)

    def forward(self, x):
        return self.fn(x, *self.mods)


def operator_cases():
    """(name, module, input shape, opsets); inputs are standard normal of batch 2."""
    x4 = [3, 6, 6]
    return [
        ("slice-steps", Case(lambda x: flat(x[:, :, ::2, 1::3], x[..., -3:], x.flip(-1), x[:, 1:-1, 2:])), x4, (13, 17)),
        ("split-sizes", Case(lambda x: flat(*[p * (i + 1) for i, p in enumerate(torch.split(x, [1, 3, 2], 2))],
                                            *x.chunk(3, dim=1))), x4, (13, 17)),
        ("squeeze-unsqueeze", Case(lambda x: (x[:, None] * x.unsqueeze(2).mean(1, keepdim=True)).squeeze(1)
                                   .sum(2).unsqueeze(-1)), x4, (13, 17)),
        ("shape-chain", Case(lambda x: torch.tanh(x.view(x.size(0), -1)).reshape(x.size(0), x.size(1) * 2,
                                                                               x.size(2) // 2, -1)), x4, (13, 17)),
        ("expand", Case(lambda x: x[:, :1].expand(x.size(0), 3, 6, 6) * x), x4, (13, 17)),
        ("resize-nearest", Case(lambda x: flat(F.interpolate(x, scale_factor=2.0, mode="nearest"),
                                               F.interpolate(x, size=(9, 4), mode="nearest"),
                                               F.interpolate(x, scale_factor=1.5, mode="nearest"))),
         x4, (13, 17)),
        ("resize-linear", Case(lambda x: flat(F.interpolate(x, scale_factor=2.0, mode="bilinear"),
                                              F.interpolate(x, scale_factor=1.5, mode="bilinear",
                                                            align_corners=True),
                                              F.interpolate(x, size=(5, 11), mode="bilinear"),
                                              nn.UpsamplingBilinear2d(scale_factor=2)(x))), x4, (13, 17)),
        ("clip", Case(lambda x: flat(torch.clamp(x, -0.5, 0.7), torch.clamp(x, min=0.1), F.relu6(3 * x),
                                     F.hardtanh(x))), x4, (13, 17)),
        ("batchnorm-eval", Case(lambda x, bn: bn(x), nn.BatchNorm2d(3)), x4, (13, 17)),
        ("pad-modes", Case(lambda x, conv: flat(F.pad(x, (1, 2, 0, 1)), F.pad(x, (2, 1, 1, 2), mode="reflect"),
                                                F.pad(x, (1, 0, 2, 1), mode="replicate"), conv(x)),
                           nn.Conv2d(3, 2, 3, padding=1, padding_mode="reflect")), x4, (13, 17)),
        ("elementwise", Case(lambda x: flat(F.gelu(x), F.elu(x), F.softplus(x, beta=2.0), torch.abs(x) ** 1.5,
                                            torch.sqrt(x * x + 1), torch.rsqrt(x * x + 1), F.silu(x),
                                            torch.where(x > 0, x, 0.1 * x), torch.erf(x), F.softsign(x))),
         x4, (13, 17)),
        ("reductions", Case(lambda x: flat(x.mean(dim=(2, 3)), x.sum(1), x.pow(2).mean(1, keepdim=True),
                                           F.normalize(x, dim=1), torch.softmax(x, dim=1),
                                           x.std(dim=1, unbiased=False))), x4, (13, 17)),
        ("pixel-shuffle", Case(lambda x, conv: F.pixel_shuffle(conv(x), 2), nn.Conv2d(3, 8, 1)), x4, (13, 17)),
        ("layer-norm", Case(lambda x, ln, gn: flat(ln(x), gn(x)), nn.LayerNorm([6, 6]), nn.GroupNorm(3, 3)),
         x4, (13, 17)),
        ("gather-index", Case(lambda x: flat(x[:, 0], x[:, :, 2], x[:, [2, 0, 0]])), x4, (13, 17)),
        ("stack-permute", Case(lambda x: flat(torch.stack([x, 2 * x], dim=2), x.permute(0, 2, 3, 1),
                                              x.transpose(2, 3).contiguous(), x.repeat(1, 2, 1, 1))),
         x4, (13, 17)),
        ("resize-cubic", Case(lambda x: flat(F.interpolate(x, scale_factor=2.0, mode="bicubic"),
                                             F.interpolate(x, size=(7, 9), mode="bicubic", align_corners=True))),
         x4, (13, 17)),
        ("activations", Case(lambda x, prelu: flat(F.hardswish(x), F.hardsigmoid(x), F.selu(x), prelu(x),
                                                   F.mish(x)), nn.PReLU(3, 0.2)), x4, (13, 17)),
    ]


OPSET18_AXES_INPUT = {"ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum",
                      "ReduceLogSumExp", "ReduceSumSquare"}


def rewrite_to_opset18(out_dir, name17, name18):
    """torch 1.13 exports at most opset 17 and python3-onnx 1.12 has no 17 -> 18 converter, so this rewrites the
    nodes whose form changed in opset 18 by hand (reductions take axes as an input; Split without sizes names
    num_outputs) and copies the reference tensors, which do not change."""
    import shutil
    model = onnx.load(os.path.join(out_dir, name17 + ".onnx"))
    for node in model.graph.node:
        if node.op_type in OPSET18_AXES_INPUT:
            axes = [a for a in node.attribute if a.name == "axes"]
            if axes:
                tensor = numpy_helper.from_array(np.array(axes[0].ints, dtype=np.int64), node.output[0] + "_axes")
                model.graph.initializer.append(tensor)
                node.input.append(tensor.name)
                node.attribute.remove(axes[0])
        if node.op_type == "Split" and len(node.input) < 2:
            node.attribute.append(onnx.helper.make_attribute("num_outputs", len(node.output)))
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            o.version = 18
    path = os.path.join(out_dir, name18 + ".onnx")
    onnx.save(model, path)
    files = {}
    for suffix in ("input", "output", "probe", "gradient"):
        shutil.copyfile(os.path.join(out_dir, f"{name17}.{suffix}.pb"), os.path.join(out_dir, f"{name18}.{suffix}.pb"))
        files[suffix] = {"file": f"{name18}.{suffix}.pb", "sha256": sha256(os.path.join(out_dir, f"{name18}.{suffix}.pb"))}
    print(f"{name18}: opset 18, rewritten from {name17}")
    return {"file": name18 + ".onnx", "opset": 18, "rewrittenFrom": name17 + ".onnx", "sha256": sha256(path),
            "reference": files}


def export_operator_cases(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    names = []
    for name, module, shape, opsets in operator_cases():
        randomize_batch_norms(module)
        x = torch.randn(REFERENCE_BATCH, *shape)
        for opset in opsets:
            export(out_dir, f"{name}-op{opset}", module, "x", shape, "y", opset, True, x)
            names.append(f"{name}-op{opset}")
    for name in ("reductions", "layer-norm", "split-sizes", "squeeze-unsqueeze"):
        rewrite_to_opset18(out_dir, f"{name}-op17", f"{name}-op18")
        names.append(f"{name}-op18")
    with open(os.path.join(out_dir, "index.txt"), "w") as f:
        f.write("\n".join(names) + "\n")


# ---- export ----

def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def export(out_dir, name, module, input_name, input_shape, output_name, opset, folding, reference_input):
    module.eval()
    for p in module.parameters():
        p.requires_grad_(False)
    path = os.path.join(out_dir, name + ".onnx")
    dummy = torch.zeros(REFERENCE_BATCH, *input_shape)
    torch.onnx.export(module, dummy, path, opset_version=opset, do_constant_folding=folding,
                      input_names=[input_name], output_names=[output_name],
                      dynamic_axes={input_name: {0: "batch"}, output_name: {0: "batch"}})
    # The reference: output = module(input), and gradient = J^T probe (torch autograd) for a probe uniform in
    # [-1, 1] drawn from its own generator (so the models' weights do not depend on it).
    x = reference_input.clone().requires_grad_(True)
    output = module(x)
    probe = 2 * torch.rand(output.shape, generator=torch.Generator().manual_seed(SEED + 1)) - 1
    (gradient,) = torch.autograd.grad((output * probe).sum(), x)
    output = output.detach()
    # Serialised TensorProtos, the format of ONNX's test_data_set_N/input_0.pb files, so that the Java tests
    # read them with the ONNX proto they already have.
    files = {}
    for suffix, tensor in (("input", reference_input), ("output", output), ("probe", probe),
                           ("gradient", gradient)):
        pb = os.path.join(out_dir, f"{name}.{suffix}.pb")
        with open(pb, "wb") as f:
            f.write(numpy_helper.from_array(tensor.numpy(), name=suffix).SerializeToString())
        files[suffix] = {"file": f"{name}.{suffix}.pb", "sha256": sha256(pb)}
    lo, hi = float(output.min()), float(output.max())
    print(f"{name}: opset {opset}, {os.path.getsize(path)} bytes, output {list(output.shape)} in [{lo:.4f}, {hi:.4f}]")
    return {
        "file": name + ".onnx", "opset": opset,
        "constantFolding": folding, "input": {"name": input_name, "shape": ["batch", *input_shape]},
        "output": {"name": output_name, "shape": ["batch", *list(output.shape[1:])]},
        "sha256": sha256(path), "reference": files,
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "..", "adjoint", "src", "test", "resources", "torch")
    out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else default_out)
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(SEED)
    fixtures = []

    glow = Glow()
    z = 0.7 * torch.randn(REFERENCE_BATCH, glow.latent)
    entry = export(out_dir, "glow16", Direction(glow, "generate"), "latent", [glow.latent], "image", 17, True, z)
    fixtures.append(dict(entry, kind="glow", valueRange=[0.0, 1.0], imageShape=list(glow.image),
                         architecture="Glow L=2 K=2 hidden 16, actnorm + invertible 1x1 conv + affine coupling, "
                                      "logit space (image = sigmoid(x))"))
    with torch.no_grad():
        images = glow.generate(z)
    entry = export(out_dir, "glow16-encoder", Direction(glow, "encode"), "image", list(glow.image), "latent", 17,
                   True, images)
    fixtures.append(dict(entry, kind="glow-encoder", imageShape=list(glow.image),
                         architecture="the inverse of glow16: image -> latent"))

    dcgan = Dcgan()
    randomize_batch_norms(dcgan)
    z = torch.randn(REFERENCE_BATCH, dcgan.latent)
    for opset in (17, 13):
        entry = export(out_dir, f"dcgan16-op{opset}", dcgan, "latent", [dcgan.latent], "image", opset, True, z)
        fixtures.append(dict(entry, kind="dcgan", valueRange=[0.0, 1.0], imageShape=list(dcgan.image),
                             architecture="DCGAN 4-8-16, latent 32, features 16, BatchNorm in eval mode"))

    decoder = DeepDecoder()
    randomize_batch_norms(decoder)
    z = torch.randn(REFERENCE_BATCH, decoder.latent)
    for opset, folding in ((17, True), (13, False)):
        entry = export(out_dir, f"deepdecoder32-op{opset}", decoder, "latent", [decoder.latent], "image", opset,
                       folding, z)
        fixtures.append(dict(entry, kind="deepdecoder", valueRange=[0.0, 1.0], imageShape=list(decoder.image),
                             architecture="Deep Decoder k=8, 4 -> 8 -> 16 -> 32, 1x1 convs, Resize "
                                          "(bilinear, nearest, align_corners, sizes), BatchNorm/InstanceNorm"))

    for name, kind in (("deepdecoder32", "deepdecoder"), ("glow16", "glow")):
        base = next(f for f in fixtures if f["file"] in (name + ".onnx", name + "-op17.onnx"))
        entry = rewrite_to_opset18(out_dir, base["file"][:-len(".onnx")], name + "-op18")
        fixtures.append(dict(base, **entry))
    export_operator_cases(os.path.join(out_dir, "ops"))
    manifest = {"torch": torch.__version__, "seed": SEED, "referenceBatch": REFERENCE_BATCH,
                "script": "tools/torch-export/export_fixtures.py", "fixtures": fixtures}
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
