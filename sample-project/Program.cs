// Classifies the held-out digits with the model that the build compressed (bin/.../compression/<model>/<variant>/),
// and prints its top-1 accuracy. Usage: DigitsSample [VARIANT] [IMAGE-FOLDER]   (defaults: int8, data/digits/test)
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

var variant = args.Length > 0 ? args[0] : "int8";
var modelPath = Path.Combine(AppContext.BaseDirectory, "compression", "digits-cnn", variant, "digits-cnn.onnx");
var imageFolder = args.Length > 1 ? args[1] : FindUp(Path.Combine("data", "digits", "test"));
if (!File.Exists(modelPath) || imageFolder is null)
{
    Console.Error.WriteLine($"missing {(File.Exists(modelPath) ? "the test images (data/digits/test)" : modelPath)}");
    return 2;
}

using var options = new SessionOptions { IntraOpNumThreads = 1 };
using var session = new InferenceSession(modelPath, options);
var inputName = session.InputMetadata.Keys.First();

var correct = 0;
var total = 0;
foreach (var classFolder in Directory.GetDirectories(imageFolder).Order(StringComparer.Ordinal))
{
    var label = int.Parse(Path.GetFileName(classFolder), System.Globalization.CultureInfo.InvariantCulture);
    foreach (var file in Directory.GetFiles(classFolder, "*.png").Order(StringComparer.Ordinal))
    {
        using var image = Image.Load<L8>(file);
        // The same preprocessing as compression.yaml: grayscale, scale 1/255, NCHW.
        var input = new DenseTensor<float>([1, 1, image.Height, image.Width]);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                input[0, 0, y, x] = image[x, y].PackedValue / 255f;
            }
        }

        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, input)]);
        var scores = results[0].AsEnumerable<float>().ToArray();
        var predicted = Array.IndexOf(scores, scores.Max());
        correct += predicted == label ? 1 : 0;
        total++;
    }
}

Console.WriteLine($"digits-cnn/{variant}: {correct}/{total} correct, top-1 accuracy {100.0 * correct / total:F2}%");
return 0;

static string? FindUp(string relative)
{
    for (var folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
    {
        var candidate = Path.Combine(folder, relative);
        if (Directory.Exists(candidate))
        {
            return candidate;
        }
    }

    return Directory.Exists(relative) ? relative : null;
}
