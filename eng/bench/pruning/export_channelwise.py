#!/usr/bin/python3
"""Exports torchvision's MobileNetV3 classifiers and MobileNetV3 segmentation models (random weights, seeded) for the
structured-pruning MAC measurement: squeeze-excite Mul, HardSwish/HardSigmoid, Resize heads, dilated Convs.

Usage: /usr/bin/python3 eng/bench/pruning/export_channelwise.py OUT_DIR [--side 224]
Writes OUT_DIR/<model>.onnx (opset 13, batch 1, fixed shapes). Nothing here is committed: the files are large.
"""
import argparse
import os

import torch
import torchvision


class OutOnly(torch.nn.Module):
    """Segmentation models return a dict; the export takes its 'out' map."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


MODELS = {
    "mobilenet_v3_small": lambda: torchvision.models.mobilenet_v3_small(weights=None),
    "mobilenet_v3_large": lambda: torchvision.models.mobilenet_v3_large(weights=None),
    "lraspp_mobilenet_v3_large": lambda: OutOnly(torchvision.models.segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None)),
    "deeplabv3_mobilenet_v3_large": lambda: OutOnly(torchvision.models.segmentation.deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, aux_loss=False)),
}


def randomize(model):
    """Trained-like BatchNorm statistics and biases (init values make every folded bias identical)."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0.0, 0.1)
                module.running_mean.normal_(0.0, 0.1)
                module.running_var.uniform_(0.5, 1.5)
            elif isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)) and module.bias is not None:
                module.bias.normal_(0.0, 0.01)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--side", type=int, default=224)
    parser.add_argument("--models", default=",".join(MODELS))
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    for name in args.models.split(","):
        torch.manual_seed(0)
        model = MODELS[name]().eval()
        randomize(model)
        destination = os.path.join(args.out_dir, name + ".onnx")
        with torch.no_grad():
            torch.onnx.export(model, torch.zeros(1, 3, args.side, args.side), destination + ".tmp", opset_version=13,
                              input_names=["input"], output_names=["out"], do_constant_folding=True)
        os.replace(destination + ".tmp", destination)
        print("exported", name)


if __name__ == "__main__":
    main()
