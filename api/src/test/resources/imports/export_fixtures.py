"""Exports the small generators the import tests upload, as a user would: torch.onnx.export at opset 17.

Run by hand with Debian's python3-torch (CI only reads the committed .onnx files):
    /usr/bin/python3 api/src/test/resources/imports/export_fixtures.py
"""
import os

import onnx
import torch
from torch import nn

OUT = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)


class Coupling(nn.Module):
    """Affine coupling (Kingma & Dhariwal 2018, sec. 3.3), generative direction: xb = xb * s(xa) + t(xa)."""

    def __init__(self, channels):
        super().__init__()
        half = channels // 2
        self.net = nn.Sequential(nn.Conv2d(half, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 2 * half, 3, padding=1))
        with torch.no_grad():
            self.net[2].weight.mul_(0.1)

    def forward(self, x):
        xa, xb = torch.chunk(x, 2, dim=1)
        h = self.net(xa)
        log_s, t = torch.chunk(h, 2, dim=1)
        s = torch.sigmoid(log_s + 2.0)
        return torch.cat([xa, xb * s + t], dim=1)


class TinyGlow(nn.Module):
    """z [B, 64] -> x [B, 1, 8, 8] in (0, 1): 1x1 convolutions, two couplings, depth-to-space, a sigmoid."""

    def __init__(self):
        super().__init__()
        w = torch.linalg.qr(torch.randn(4, 4))[0]
        self.mix = nn.Conv2d(4, 4, 1, bias=False)
        with torch.no_grad():
            self.mix.weight.copy_(w.reshape(4, 4, 1, 1))
        self.c1 = Coupling(4)
        self.c2 = Coupling(4)

    def forward(self, z):
        x = z.reshape(-1, 4, 4, 4)
        x = self.c2(self.mix(self.c1(x)))
        x = x.reshape(-1, 1, 2, 2, 4, 4).permute(0, 1, 4, 2, 5, 3).reshape(-1, 1, 8, 8)
        return torch.sigmoid(x)


class TinyDcgan(nn.Module):
    """z [B, 16] -> x [B, 3, 16, 16] in (-1, 1) (Radford et al. 2016: fractionally-strided convolutions, BN, tanh)."""

    def __init__(self, head=nn.Tanh):
        super().__init__()
        self.fc = nn.Linear(16, 32 * 4 * 4)
        self.net = nn.Sequential(nn.ReLU(), nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.BatchNorm2d(16), nn.ReLU(),
                                 nn.ConvTranspose2d(16, 3, 4, 2, 1), head())

    def forward(self, z):
        return self.net(self.fc(z).reshape(-1, 32, 4, 4))


class FlatGenerator(nn.Module):
    """Wrong shape on purpose: z [B, 16] -> [B, 64], no image axes."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 64)

    def forward(self, z):
        return torch.sigmoid(self.fc(z))


def export(model, latent, name):
    model.eval()
    torch.onnx.export(model, torch.randn(2, latent), os.path.join(OUT, name), opset_version=17,
                      input_names=["z"], output_names=["x"], dynamic_axes={"z": {0: "batch"}, "x": {0: "batch"}})


export(TinyGlow(), 64, "tiny-glow.onnx")
dcgan = TinyDcgan()
with torch.no_grad():
    dcgan.net[2].running_mean.uniform_(-0.1, 0.1)
    dcgan.net[2].running_var.uniform_(0.5, 1.5)
export(dcgan, 16, "tiny-dcgan.onnx")
export(FlatGenerator(), 16, "flat-generator.onnx")

# What ONNX Runtime's transformer optimizer leaves behind: a contrib operator (com.microsoft domain), here as
# the output activation, which no adjoint rule will ever cover.
contrib = onnx.load(os.path.join(OUT, "tiny-dcgan.onnx"))
for node in contrib.graph.node:
    if node.op_type == "Tanh":
        node.op_type = "Gelu"
        node.domain = "com.microsoft"
contrib.opset_import.append(onnx.helper.make_opsetid("com.microsoft", 1))
onnx.save(contrib, os.path.join(OUT, "contrib-op-dcgan.onnx"))
