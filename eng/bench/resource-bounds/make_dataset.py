#!/usr/bin/python3
"""Writes a large digits dataset for the resource-bounds benchmark: N 8x8 grayscale PNGs in class subfolders (the
held-out digits repeated, each copy shifted by one grey level so no two files are identical) and the same N rows as
an npy pair. Usage: make_dataset.py REPO_ROOT OUT_FOLDER [N=50000]"""
import os
import sys

import numpy as np
from PIL import Image

repo, out = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 50000
x = np.load(os.path.join(repo, "data/digits/test_x.npy"))
y = np.load(os.path.join(repo, "data/digits/test_y.npy"))
rows = np.arange(count) % len(x)
images = np.clip(np.rint(x[rows, 0] * 255) + (np.arange(count) // len(x) % 3)[:, None, None] - 1, 0, 255).astype(np.uint8)
labels = y[rows]
for label in range(10):
    os.makedirs(os.path.join(out, "images", str(label)), exist_ok=True)
for i in range(count):
    Image.fromarray(images[i], mode="L").save(os.path.join(out, "images", str(int(labels[i])), f"{i:05d}.png"))
np.save(os.path.join(out, "x.npy"), (images[:, None].astype(np.float32) / 255.0))
np.save(os.path.join(out, "y.npy"), labels)
