using Google.Protobuf;

namespace CompressionTasks.Engine.Tests.Measurement;

/// <summary>
/// Writes a small real ONNX model (Conv → Relu → Flatten → Gemm, opset 13) as protobuf bytes, field by field, so the
/// measurement tests run ONNX Runtime on a genuine model without depending on the ONNX I/O layer or fixtures.
/// Input <c>x</c>: float [N, 3, 8, 8] (N symbolic); output <c>y</c>: float [N, 10]. Weights are seeded.
/// </summary>
internal static class TinyOnnxModel
{
    public const long InitializerBytes = ((4 * 3 * 3 * 3) + 4 + (256 * 10) + 10) * sizeof(float);

    /// <param name="fixedBatch">A batch size to declare instead of the symbolic N (static shapes: outputs are preallocated).</param>
    public static string Write(string folder, string fileName = "tiny_cnn.onnx", int? fixedBatch = null)
    {
        var path = Path.Combine(folder, fileName);
        File.WriteAllBytes(path, Build(fixedBatch));
        return path;
    }

    public static byte[] Build(int? fixedBatch = null)
    {
        object batch = fixedBatch is { } b ? b : "N";
        var random = new Random(7);
        var graph = Message(o =>
        {
            Field(o, 1, Node("conv", "Conv", ["x", "conv_w", "conv_b"], ["conv_out"], IntsAttribute("kernel_shape", 3, 3), IntsAttribute("pads", 1, 1, 1, 1)));
            Field(o, 1, Node("relu", "Relu", ["conv_out"], ["relu_out"]));
            Field(o, 1, Node("flatten", "Flatten", ["relu_out"], ["flat"], IntAttribute("axis", 1)));
            Field(o, 1, Node("fc", "Gemm", ["flat", "fc_w", "fc_b"], ["y"]));
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteString("tiny_cnn");
            Field(o, 5, FloatTensor("conv_w", [4, 3, 3, 3], random));
            Field(o, 5, FloatTensor("conv_b", [4], random));
            Field(o, 5, FloatTensor("fc_w", [256, 10], random));
            Field(o, 5, FloatTensor("fc_b", [10], random));
            Field(o, 11, ValueInfo("x", [batch, 3, 8, 8]));
            Field(o, 12, ValueInfo("y", [batch, 10]));
        });

        return Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteInt64(7); // ir_version
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteString("compression-tests");
            Field(o, 7, graph);
            Field(o, 8, Message(op =>
            {
                op.WriteTag(1, WireFormat.WireType.LengthDelimited);
                op.WriteString(string.Empty);
                op.WriteTag(2, WireFormat.WireType.Varint);
                op.WriteInt64(13);
            }));
        });
    }

    private static byte[] Node(string name, string opType, string[] inputs, string[] outputs, params byte[][] attributes) => Message(o =>
    {
        foreach (var input in inputs)
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited);
            o.WriteString(input);
        }

        foreach (var output in outputs)
        {
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteString(output);
        }

        o.WriteTag(3, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
        o.WriteTag(4, WireFormat.WireType.LengthDelimited);
        o.WriteString(opType);
        foreach (var attribute in attributes)
        {
            Field(o, 5, attribute);
        }
    });

    private static byte[] IntsAttribute(string name, params long[] values) => Message(o =>
    {
        o.WriteTag(1, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
        foreach (var value in values)
        {
            o.WriteTag(8, WireFormat.WireType.Varint);
            o.WriteInt64(value);
        }

        o.WriteTag(20, WireFormat.WireType.Varint);
        o.WriteEnum(7); // INTS
    });

    private static byte[] IntAttribute(string name, long value) => Message(o =>
    {
        o.WriteTag(1, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
        o.WriteTag(3, WireFormat.WireType.Varint);
        o.WriteInt64(value);
        o.WriteTag(20, WireFormat.WireType.Varint);
        o.WriteEnum(2); // INT
    });

    private static byte[] FloatTensor(string name, long[] dims, Random random) => Message(o =>
    {
        foreach (var dim in dims)
        {
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteInt64(dim);
        }

        o.WriteTag(2, WireFormat.WireType.Varint);
        o.WriteInt32(1); // FLOAT
        o.WriteTag(8, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
        var count = (int)dims.Aggregate(1L, (a, b) => a * b);
        var raw = new byte[count * sizeof(float)];
        for (var i = 0; i < count; i++)
        {
            BitConverter.TryWriteBytes(raw.AsSpan(i * sizeof(float)), (random.NextSingle() - 0.5f) * 0.2f);
        }

        o.WriteTag(9, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(raw));
    });

    private static byte[] ValueInfo(string name, object[] dims) => Message(o =>
    {
        o.WriteTag(1, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
        var shape = Message(s =>
        {
            foreach (var dim in dims)
            {
                Field(s, 1, Message(d =>
                {
                    if (dim is string symbol)
                    {
                        d.WriteTag(2, WireFormat.WireType.LengthDelimited);
                        d.WriteString(symbol);
                    }
                    else
                    {
                        d.WriteTag(1, WireFormat.WireType.Varint);
                        d.WriteInt64(Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }));
            }
        });
        var tensorType = Message(t =>
        {
            t.WriteTag(1, WireFormat.WireType.Varint);
            t.WriteInt32(1); // FLOAT
            Field(t, 2, shape);
        });
        Field(o, 2, Message(t => Field(t, 1, tensorType)));
    });

    private static void Field(CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            write(output);
        }

        return stream.ToArray();
    }
}
