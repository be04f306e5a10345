namespace CompressionTasks.Engine.Tests.Onnx;

[TestClass]
public static class TestRunCleanup
{
    [AssemblyCleanup]
    public static void DeleteTempModels()
    {
        if (Directory.Exists(TestModels.TempRoot))
        {
            Directory.Delete(TestModels.TempRoot, recursive: true);
        }
    }
}
