using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Onnx;

namespace CompressionTasks.Manifest.Init;

/// <summary>Reads a <see cref="ModelProfile"/> with the engine's inspector; null when the file is not a model it can read.</summary>
public static class ModelProfileReader
{
    /// <summary>A model is convolutional when at least this share of its weighted-layer MACs are in convolutions.</summary>
    public const double ConvolutionalShare = 0.5;

    public static ModelProfile? Read(string path, CancellationToken cancellationToken = default)
    {
        ModelInspection inspection;
        try
        {
            inspection = ModelInspector.Inspect(path, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is CompressionException or IOException or UnauthorizedAccessException or InvalidDataException or Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }

        if (inspection.Inputs.Count == 0)
        {
            return null;
        }

        var input = inspection.Inputs[0];
        var (architecture, convShare) = Classify(inspection.Operators);
        var profile = new ModelProfile(input.Name, input.Shape, architecture, convShare, ImageLayout(input.Shape), Classes(inspection.Outputs));
        return profile.HasSymbolicDims ? ClassifyAtGuessedShape(path, profile, cancellationToken) : profile;
    }

    /// <summary>
    /// With symbolic height and width a convolution's MACs cannot be counted while a classifier head's Gemm can, so a
    /// conv net would look MatMul-heavy. The split is therefore taken at the shape <c>init</c> would guess (batch 1,
    /// ImageNet's side): only the share matters here, and any realistic image size gives the same answer.
    /// </summary>
    private static ModelProfile ClassifyAtGuessedShape(string path, ModelProfile profile, CancellationToken cancellationToken)
    {
        if (InputShapeGuess.For(profile, sampleShape: null) is not { } guess)
        {
            return profile;
        }

        try
        {
            var bound = ModelInspector.Inspect(path, cancellationToken: cancellationToken,
                inputShapes: new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal) { [profile.InputName] = guess.Dims });
            var (architecture, convShare) = Classify(bound.Operators);
            return profile with { Architecture = architecture, ConvMacShare = convShare };
        }
        catch (CompressionException)
        {
            // A model whose shapes contradict the guess keeps the split counted without it.
            return profile;
        }
    }

    /// <summary>
    /// Splits the MACs of weighted layers (OperatorTraits' <see cref="OperatorFacts.WeightedLayer"/>) into convolutions
    /// and the rest. A convolution is a weighted layer that stores its output channels first (Conv's OIHW weight);
    /// Gemm and MatMul store them last.
    /// </summary>
    private static (ModelArchitecture Architecture, double ConvShare) Classify(IReadOnlyList<OperatorStatistics> operators)
    {
        long conv = 0, other = 0;
        foreach (var op in operators)
        {
            var traits = OperatorTraits.Of(op.OpType);
            if (!traits.Has(OperatorFacts.WeightedLayer) || traits.Weight is not { } weight)
            {
                continue;
            }

            // A layer whose MACs cannot be counted (unknown shapes) still says what the model is made of.
            var macs = Math.Max(op.Macs, op.NodeCount);
            if (weight.OutputChannelAxis == 0)
            {
                conv += macs;
            }
            else
            {
                other += macs;
            }
        }

        if (conv + other == 0)
        {
            return (ModelArchitecture.Unknown, 0);
        }

        var share = (double)conv / (conv + other);
        return (share >= ConvolutionalShare ? ModelArchitecture.Convolutional : ModelArchitecture.MatMulHeavy, share);
    }

    /// <summary>A rank-4 input with 1 or 3 channels on axis 1 (NCHW) or, failing that, axis 3 (NHWC).</summary>
    private static TensorLayout? ImageLayout(IReadOnlyList<object> shape)
    {
        if (shape.Count != 4)
        {
            return null;
        }

        static bool IsChannels(object dim) => dim is 1L or 3L;
        return IsChannels(shape[1]) ? TensorLayout.Nchw : IsChannels(shape[3]) ? TensorLayout.Nhwc : null;
    }

    private static int? Classes(IReadOnlyList<TensorSignature> outputs) =>
        outputs.Count > 0 && outputs[0].Shape is [_, long classes] && classes > 1 ? (int)classes : null;
}
