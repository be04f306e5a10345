using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Bench;

/// <summary>Models the benchmarks share: the NuGet ResNet18 and a generated model of a chosen size.</summary>
internal static class BenchModels
{
    /// <summary>The ImageNet ResNet18 of Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 in the NuGet cache (restore the solution first).</summary>
    public static string ResNet18Path() => Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>X[1, width] → MatMul × layers, each weight width×width floats in raw_data (25 × 1024² × 4 B ≈ 105 MB).</summary>
    public static ModelProto MatMulChain(int layers, int width)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "compression-bench", Graph = new GraphProto { Name = "matmul-chain" } };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        model.Graph.Input.Add(Info("x0", width));
        var random = new Random(42);
        var weights = new float[width * width];
        for (var layer = 0; layer < layers; layer++)
        {
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = (float)(random.NextDouble() - 0.5) / width;
            }

            model.Graph.Initializer.Add(TensorData.Create<float>($"w{layer}", [width, width], weights));
            var node = new NodeProto { OpType = "MatMul", Name = $"matmul{layer}" };
            node.Input.Add($"x{layer}");
            node.Input.Add($"w{layer}");
            node.Output.Add($"x{layer + 1}");
            model.Graph.Node.Add(node);
        }

        model.Graph.Output.Add(Info($"x{layers}", width));
        return model;
    }

    private static ValueInfoProto Info(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }
}
