#!/usr/bin/python3
"""Writes the bad-input corpus for OnnxModelFile tests into this folder.

Each file is named <case>.<expected>.onnx where <expected> is the diagnostic code loading must report (CMP2xxx) or
`ok` for files that must load. Run once with the Debian python3-onnx (1.12); the outputs are committed, so tests
never need Python. Deterministic: running it again rewrites identical bytes.
"""
import os
import random
import struct

import numpy as np
import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def model_with(initializers, inputs_shape=(1, 4)):
    """Y = X + W: a one-node model whose only weight is the given initializer(s)."""
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, list(inputs_shape))
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, list(inputs_shape))
    node = helper.make_node("Add", ["X", initializers[0].name], ["Y"], name="add")
    graph = helper.make_graph([node], "corpus", [x], [y], initializer=initializers)
    model = helper.make_model(graph, producer_name="corpus", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    return model


def raw_tensor(dims, raw, values=None):
    """A float tensor built field by field, so that it can disagree with its own dims."""
    tensor = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=dims)
    if values is None:
        tensor.raw_data = raw
    else:
        tensor.float_data.extend(values)
    return tensor


def weight(values=(1.0, 2.0, 3.0, 4.0)):
    return helper.make_tensor("W", TensorProto.FLOAT, [1, 4], np.asarray(values, np.float32).tobytes(), raw=True)


def external(location, offset=None, length=None):
    tensor = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[1, 4])
    tensor.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", offset), ("length", length)):
        if value is not None:
            entry = tensor.external_data.add()
            entry.key, entry.value = key, str(value)
    return tensor


def main():
    valid = model_with([weight()]).SerializeToString()
    write("valid-min.ok.onnx", valid)

    ext = model_with([external("valid-external.bin", 0, 16)])
    write("valid-external.ok.onnx", ext.SerializeToString())
    write("valid-external.bin", np.asarray([1, 2, 3, 4], np.float32).tobytes())

    write("empty.CMP2002.onnx", b"")
    rng = random.Random(20261124)
    # 0xFF first: field number 31, wire type 7, which no protobuf encoder writes.
    write("random-bytes.CMP2003.onnx", bytes([0xFF]) + bytes(rng.randrange(256) for _ in range(4095)))
    write("truncated.CMP2003.onnx", valid[: len(valid) * 2 // 3])
    # Field 7 (graph) declaring a 2 GB body that is not there: must fail without allocating 2 GB.
    write("huge-length-prefix.CMP2003.onnx", bytes([0x08, 0x07, 0x3A]) + b"\xfe\xff\xff\xff\x07" + b"\x00" * 16)

    not_model = TensorProto(dims=[2, 3], data_type=TensorProto.FLOAT, raw_data=np.zeros(6, np.float32).tobytes())
    write("tensor-proto.CMP2004.onnx", not_model.SerializeToString())
    only_ir = onnx.ModelProto(ir_version=8)
    write("no-graph.CMP2004.onnx", only_ir.SerializeToString())

    overflow = raw_tensor([1 << 62, 1 << 62, 4], b"\0" * 16)
    write("dims-overflow.CMP2005.onnx", model_with([overflow]).SerializeToString())
    absurd = raw_tensor([1_000_000_000, 1000], b"\0" * 16)
    write("dims-exceed-data.CMP2005.onnx", model_with([absurd]).SerializeToString())
    negative = raw_tensor([-1, 4], b"\0" * 16)
    write("negative-dim.CMP2005.onnx", model_with([negative]).SerializeToString())
    short_typed = raw_tensor([1, 4], None, [1.0, 2.0, 3.0])
    write("float-data-count.CMP2005.onnx", model_with([short_typed]).SerializeToString())

    write("external-missing.CMP2006.onnx", model_with([external("does-not-exist.bin", 0, 16)]).SerializeToString())
    write("external-escape.CMP2007.onnx", model_with([external("../valid-external.bin", 0, 16)]).SerializeToString())
    write("external-absolute.CMP2007.onnx", model_with([external("/etc/hostname", 0, 16)]).SerializeToString())
    write("external-out-of-range.CMP2008.onnx", model_with([external("valid-external.bin", 8, 16)]).SerializeToString())
    write("external-length-mismatch.CMP2005.onnx", model_with([external("valid-external.bin", 0, 12)]).SerializeToString())


if __name__ == "__main__":
    main()
