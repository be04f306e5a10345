#!/usr/bin/python3
"""Checks a structurally pruned model against its original without ONNX Runtime: runs both, and the original with the
cut input columns of every consumer zeroed, through a small torch interpreter of the ops torchvision classifiers export
(Conv, Gemm, Relu, Clip, pools, Add/Mul/Div, Concat, Slice, Reshape, Transpose, Shape arithmetic). Pruning is exact when
the pruned model gives what the zeroed original gives. Prints that difference and the pruned model's top-1.

Usage: /usr/bin/python3 eng/bench/prune-exactness.py ORIGINAL.onnx PRUNED.onnx IMAGE_FOLDER
       IMAGE_FOLDER: class subfolders of 224x224 RGB images (eng/fixtures/make_mobilenet_v3_folder.py's images/),
       fed with the ImageNet mean/std that `init` proposes.
"""
import copy
import glob
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from PIL import Image

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def run(model, x):
    env = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
    env[model.graph.input[0].name] = torch.from_numpy(x)
    for node in model.graph.node:
        a = attributes(node)
        v = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            y = torch.from_numpy(numpy_helper.to_array(a["value"]).copy())
        elif op == "Conv":
            pads = a.get("pads", [0, 0, 0, 0])
            assert pads[0] == pads[2] and pads[1] == pads[3], "asymmetric pads"
            y = F.conv2d(v[0], v[1], v[2] if len(v) > 2 else None, a.get("strides", [1, 1]), (pads[0], pads[1]),
                         a.get("dilations", [1, 1]), a.get("group", 1))
        elif op == "Gemm":
            b = v[1].t() if a.get("transB", 0) else v[1]
            y = a.get("alpha", 1.0) * (v[0] @ b) + (a.get("beta", 1.0) * v[2] if len(v) > 2 else 0)
        elif op == "Relu":
            y = torch.relu(v[0])
        elif op == "Clip":
            y = torch.clamp(v[0], float(v[1]) if len(v) > 1 and v[1] is not None else None,
                            float(v[2]) if len(v) > 2 and v[2] is not None else None)
        elif op == "MaxPool":
            pads = a.get("pads", [0, 0, 0, 0])
            y = F.max_pool2d(v[0], a["kernel_shape"], a["strides"], (pads[0], pads[1]), ceil_mode=bool(a.get("ceil_mode", 0)))
        elif op == "GlobalAveragePool":
            y = v[0].mean(dim=(2, 3), keepdim=True)
        elif op == "ReduceMean":
            y = v[0].mean(dim=a["axes"], keepdim=bool(a.get("keepdims", 1)))
        elif op == "Flatten":
            y = v[0].reshape(int(np.prod(v[0].shape[:a.get("axis", 1)])), -1)
        elif op == "Shape":
            y = torch.tensor(v[0].shape, dtype=torch.int64)
        elif op == "Gather":
            y = torch.index_select(v[0], a.get("axis", 0), v[1].reshape(-1)).reshape(v[1].shape)
        elif op == "Unsqueeze":
            y = v[0]
            for axis in sorted(v[1].tolist()):
                y = y.unsqueeze(axis)
        elif op == "Concat":
            y = torch.cat(v, a["axis"])
        elif op == "Cast":
            y = v[0].to(torch.int64) if a["to"] == 7 else v[0].float()
        elif op == "Div":
            y = v[0] // v[1] if v[0].dtype == torch.int64 else v[0] / v[1]
        elif op == "Mul":
            y = v[0] * v[1]
        elif op == "Add":
            y = v[0] + v[1]
        elif op == "Reshape":
            shape = [v[0].shape[i] if s == 0 else s for i, s in enumerate(v[1].tolist())]
            y = v[0].reshape(shape)
        elif op == "Transpose":
            y = v[0].permute(a["perm"])
        elif op == "Slice":
            y = v[0]
            starts, ends = v[1].tolist(), v[2].tolist()
            axes = v[3].tolist() if len(v) > 3 and v[3] is not None else list(range(len(starts)))
            for start, end, axis in zip(starts, ends, axes):
                index = [slice(None)] * y.dim()
                index[axis] = slice(start, min(end, y.shape[axis]))
                y = y[tuple(index)]
        else:
            raise SystemExit(f"prune-exactness.py: op {op} ('{node.name}') is not interpreted")
        env[node.output[0]] = y
    return env[model.graph.output[0].name].numpy()


def zeroed_original(original, pruned):
    """The original with every input column a pruned Conv or Gemm no longer reads set to zero."""
    weights = {i.name: numpy_helper.to_array(i) for i in original.graph.initializer}
    pruned_weights = {i.name: numpy_helper.to_array(i) for i in pruned.graph.initializer}
    pruned_nodes = {n.name: n for n in pruned.graph.node}
    zeroed = copy.deepcopy(original)
    tensors = {i.name: i for i in zeroed.graph.initializer}
    count = 0
    for node in original.graph.node:
        if node.op_type not in ("Conv", "Gemm") or attributes(node).get("group", 1) != 1:
            continue
        w = weights[node.input[1]]
        p = pruned_weights[pruned_nodes[node.name].input[1]]
        if node.op_type == "Gemm" and not attributes(node).get("transB", 0):
            raise SystemExit("prune-exactness.py: only Gemm with transB=1 is compared")
        if w.shape[1] == p.shape[1]:
            continue
        w3 = w.reshape(w.shape[0], w.shape[1], -1)
        p3 = p.reshape(p.shape[0], p.shape[1], -1)
        kept = []
        for j in range(p3.shape[1]):
            # The pruned column j is the original column whose rows contain every row of it (rows may be cut too).
            match = next((c for c in range(w3.shape[1])
                          if np.abs(w3[None, :, c, :] - p3[:, None, j, :]).sum(2).min(1).max() < 1e-6), None)
            if match is None:
                raise SystemExit(f"prune-exactness.py: column {j} of '{node.name}' is in no original column (refitted? compare the model before recovery)")
            kept.append(match)
        removed = sorted(set(range(w.shape[1])) - set(kept))
        values = w.copy()
        values[:, removed] = 0
        tensors[node.input[1]].CopyFrom(numpy_helper.from_array(values, node.input[1]))
        count += 1
    return zeroed, count


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    original, pruned = onnx.load(sys.argv[1]), onnx.load(sys.argv[2])
    files = sorted(glob.glob(os.path.join(sys.argv[3], "*", "*.png")))
    classes = sorted({os.path.basename(os.path.dirname(f)) for f in files})
    labels = np.array([classes.index(os.path.basename(os.path.dirname(f))) for f in files])
    x = np.stack([((np.asarray(Image.open(f).convert("RGB"), np.float32) / 255 - MEAN) / STD).transpose(2, 0, 1) for f in files])
    zeroed, count = zeroed_original(original, pruned)
    with torch.no_grad():
        expected, actual, reference = run(zeroed, x), run(pruned, x), run(original, x)
    print(f"consumers with cut inputs: {count}")
    print(f"max |pruned - zeroed original|: {np.abs(actual - expected).max():.3g} (outputs up to {np.abs(expected).max():.3g})")
    print(f"top-1: original {100 * (reference.argmax(1) == labels).mean():.1f}, pruned {100 * (actual.argmax(1) == labels).mean():.1f}")


if __name__ == "__main__":
    main()
