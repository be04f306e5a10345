using System.Globalization;
using CompressionTasks.Evaluation;

namespace CompressionTasks.Manifest.Init;

/// <summary>The <c>preprocess:</c> of an image dataset for a model, guessed from the model's input, with the reason.</summary>
/// <param name="Resize">[height, width] when the images must be resized to the model's fixed size; null to keep their size.</param>
public sealed record PreprocessGuess(ColorMode ColorMode, IReadOnlyList<int>? Resize, bool ImageNet, TensorLayout Layout, string Why)
{
    /// <summary>ImageNet's per-channel statistics (torchvision, timm): what 3-channel 224/299 classifiers are almost always trained with.</summary>
    public static IReadOnlyList<double> ImageNetMean { get; } = [0.485, 0.456, 0.406];

    public static IReadOnlyList<double> ImageNetStd { get; } = [0.229, 0.224, 0.225];

    public static PreprocessGuess For(ModelProfile model, FoundDataset images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        var colorMode = model.Channels == 1 ? ColorMode.Grayscale : ColorMode.Rgb;
        var (height, width) = (images.SampleShape[1], images.SampleShape[2]);
        int[]? resize = model.Height is { } h && model.Width is { } w && (h != height || w != width) ? [h, w] : null;
        var size = model.Height is { } mh && model.Width is { } mw ? $"{mh}x{mw}" : "any-size";
        // A symbolic height/width runs at the images' size (inputShapes binds it from the samples), so that size decides.
        var (runHeight, runWidth) = (model.Height ?? height, model.Width ?? width);
        var imageNet = model.Channels == 3 && runHeight == runWidth && runHeight is 224 or 299;
        var why = $"{model.Channels}-channel {size} input: {(colorMode == ColorMode.Grayscale ? "grayscale" : "RGB (use bgr for OpenCV-trained models)")}"
            + (resize is null ? $", images are {height}x{width} already" : $", images resized from {height}x{width}")
            + ", pixels scaled to 0..1"
            + (imageNet ? ", ImageNet mean/std (usual for 3-channel 224/299 classifiers)" : ", mean 0 / std 1 assumed: set the model's training normalisation");
        return new PreprocessGuess(colorMode, resize, imageNet, model.Layout ?? TensorLayout.Nchw, why);
    }

    /// <summary>The sample shape this preprocessing gives, without the batch dim, in the model's layout.</summary>
    public IReadOnlyList<int> SampleShape(FoundDataset images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var height = Resize?[0] ?? images.SampleShape[1];
        var width = Resize?[1] ?? images.SampleShape[2];
        var channels = ColorMode == ColorMode.Grayscale ? 1 : 3;
        return Layout == TensorLayout.Nhwc ? [height, width, channels] : [channels, height, width];
    }

    /// <summary>The flow mapping written after <c>preprocess:</c>.</summary>
    public string ToYaml()
    {
        var parts = new List<string> { "colorMode: " + (ColorMode == ColorMode.Grayscale ? "grayscale" : "rgb") };
        if (Resize is { } size)
        {
            parts.Add($"resize: [{size[0]}, {size[1]}]");
        }

        parts.Add("scale: 0.0039215686");
        parts.Add(ImageNet ? $"mean: [{Join(ImageNetMean)}], std: [{Join(ImageNetStd)}]" : "mean: [0.0], std: [1.0]");
        parts.Add("layout: " + (Layout == TensorLayout.Nhwc ? "NHWC" : "NCHW"));
        return "{ " + string.Join(", ", parts) + " }";
    }

    private static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
