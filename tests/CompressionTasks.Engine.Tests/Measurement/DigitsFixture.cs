namespace CompressionTasks.Engine.Tests.Measurement;

/// <summary>The committed digits models (models/, made by eng/fixtures/make_fixtures.py), found from the test binaries upward.</summary>
internal static class DigitsFixture
{
    public static string Cnn => Model("digits_cnn.onnx");

    public static string ResNet => Model("digits_resnet.onnx");

    private static string Model(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", fileName);
            if (File.Exists(Path.Combine(dir.FullName, "CompressionTasks.sln")) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"models/{fileName} not found above {AppContext.BaseDirectory}.");
    }
}
