namespace CompressionTasks.Runner;

internal static class Program
{
    public static int Main(string[] args) => RunnerApp.Run(args, Console.Out, Console.Error);
}
