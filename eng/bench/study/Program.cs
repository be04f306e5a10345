using System.Globalization;
using CompressionTasks.Bench.Study;

// The study's experiment (pruning and quantization of ImageNet CNNs) on every model this machine can get.
// Normally started by eng/bench/study/run.sh, which builds the tool and exports the torchvision models first.
// Usage (from the repository root):
//   dotnet run -c Release --project eng/bench/study -- --tool PATH/dotnet-compress.dll [--quick] [--threads N]
//       [--out DIR] [--torchvision DIR] [--figure FILE.svg] [--render-only]
string? tool = null;
var quick = false;
var renderOnly = false;
var threads = 1;
var output = Path.Combine("eng", "bench", "out", "study");
var torchvision = Path.Combine("eng", "bench", "out", "models");
string? figure = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--tool":
            tool = args[++i];
            break;
        case "--quick":
            quick = true;
            break;
        case "--render-only":
            renderOnly = true;
            break;
        case "--threads":
            threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--out":
            output = args[++i];
            break;
        case "--torchvision":
            torchvision = args[++i];
            break;
        case "--figure":
            figure = args[++i];
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'");
            return 2;
    }
}

if (tool is null || !File.Exists(tool))
{
    Console.Error.WriteLine("--tool must name the built dotnet-compress.dll (eng/bench/study/run.sh builds it)");
    return 2;
}

StudyResult result;
try
{
    result = await StudyBenchmark.RunAsync(
        new StudyOptions
        {
            RepositoryRoot = Directory.GetCurrentDirectory(),
            OutputFolder = Path.GetFullPath(output),
            ToolPath = Path.GetFullPath(tool),
            TorchvisionFolder = Path.GetFullPath(torchvision),
            Quick = quick,
            RenderOnly = renderOnly,
            Threads = threads,
            FigurePath = figure,
        },
        Console.Error);
}
catch (InvalidOperationException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 1;
}

Console.Out.Write(File.ReadAllText(result.TablesPath));
Console.Error.WriteLine($"tables: {result.TablesPath}; figure: {result.FigurePath}");
return 0;
