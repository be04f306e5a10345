namespace CompressionTasks.Engine.Tests.Measurement;

/// <summary>The committed digits models (see <see cref="Repository"/>).</summary>
internal static class DigitsFixture
{
    public static string Cnn => Repository.DigitsCnn;

    public static string ResNet => Repository.DigitsResNet;
}
