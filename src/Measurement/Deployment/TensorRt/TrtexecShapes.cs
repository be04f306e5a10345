using System.Globalization;
using CompressionTasks.Deployment.Contracts;

namespace CompressionTasks.Deployment.TensorRt;

/// <summary>
/// trtexec's <c>--shapes</c> value for a bundle's model: TensorRT needs concrete shapes for inputs with symbolic
/// dimensions, both when it builds the engine and when it runs one. The manifest's input shapes when given, else 1 for
/// each symbol. Null when every input is static.
/// </summary>
public static class TrtexecShapes
{
    public static string? For(DeploymentDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var dynamic = descriptor.Inputs.Where(i => i.Shape.Any(dim => !IsNumber(dim))).ToArray();
        if (dynamic.Length == 0)
        {
            return null;
        }

        var specs = dynamic.Select(input =>
        {
            var dims = descriptor.Measure.InputShapes?.GetValueOrDefault(input.Name) is { } given && given.Count == input.Shape.Count
                ? given.Select(v => v.ToString(CultureInfo.InvariantCulture))
                : input.Shape.Select(dim => IsNumber(dim) ? dim : "1");
            return $"{input.Name}:{string.Join('x', dims)}";
        });
        return string.Join(',', specs);
    }

    private static bool IsNumber(string dim) => long.TryParse(dim, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
