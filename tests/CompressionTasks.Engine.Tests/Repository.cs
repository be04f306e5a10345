namespace CompressionTasks.Engine.Tests;

/// <summary>
/// The checkout the tests run from, found by walking up to CompressionTasks.sln, and the committed fixtures in it
/// (models/ and data/, made by eng/fixtures/make_fixtures.py). Test data is read in place, never copied into bin.
/// </summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string DigitsCnn => Path("models", "digits_cnn.onnx");

    public static string DigitsResNet => Path("models", "digits_resnet.onnx");

    public static string DigitsData => Path("data", "digits");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "CompressionTasks.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("CompressionTasks.sln not found above " + AppContext.BaseDirectory);
    }
}
