using System.Runtime.Serialization.Json;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace CompressionTasks.Tasks;

/// <summary>
/// Reads the engine's report.json back into items: one <c>CompressionModel</c> per model/variant file the run wrote
/// (metadata <c>Model</c>, <c>Variant</c>, <c>SizeBytes</c>, <c>Top1</c> when evaluated, <c>TargetPath</c>) and one
/// <c>CompressionReport</c> per report rendering that exists. Only files the report names are returned, so models
/// left in the folder by an earlier manifest do not reach the build output.
/// </summary>
public sealed class ReadCompressionReport : Microsoft.Build.Utilities.Task
{
    private static readonly string[] ReportFileNames = ["report.json", "report.md", "report.html", "report.junit.xml"];

    [Required]
    public string ReportPath { get; set; } = string.Empty;

    /// <summary>Prefix of every <c>TargetPath</c> (the folder under <c>$(OutDir)</c>), e.g. <c>compression/</c>.</summary>
    public string TargetFolder { get; set; } = string.Empty;

    [Output]
    public ITaskItem[] Models { get; private set; } = [];

    [Output]
    public ITaskItem[] Reports { get; private set; } = [];

    public override bool Execute()
    {
        var reportPath = Path.GetFullPath(ReportPath);
        var root = Path.GetDirectoryName(reportPath)!;
        XElement report;
        try
        {
            // The JSON reader of System.Runtime.Serialization is part of netstandard2.0 and of every MSBuild
            // (.NET Framework and .NET), so the task needs no JSON package that could clash with MSBuild's own.
            using var stream = File.OpenRead(reportPath);
            using var reader = JsonReaderWriterFactory.CreateJsonReader(stream, XmlDictionaryReaderQuotas.Max);
            report = XElement.Load(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or XmlException)
        {
            Log.LogError(null, TaskDiagnosticCodes.ReportUnreadable, null, reportPath, 0, 0, 0, 0,
                "cannot read the compression report: {0}", e.Message);
            return false;
        }

        var prefix = NormalizeFolder(TargetFolder);
        var models = new List<ITaskItem>();
        foreach (var model in Items(report.Element("models")))
        {
            var modelName = (string?)model.Element("name") ?? string.Empty;
            foreach (var variant in Items(model.Element("variants")))
            {
                var relative = (string?)variant.Element("path");
                if (string.IsNullOrEmpty(relative))
                {
                    continue;
                }

                var full = Path.GetFullPath(Path.Combine(root, relative));
                if (!IsInside(full, root))
                {
                    Log.LogError(null, TaskDiagnosticCodes.ReportUnreadable, null, reportPath, 0, 0, 0, 0,
                        "the report names '{0}', which lies outside its folder '{1}'", relative, root);
                    return false;
                }

                if (!File.Exists(full))
                {
                    Log.LogError(null, TaskDiagnosticCodes.ReportUnreadable, null, reportPath, 0, 0, 0, 0,
                        "the report names '{0}', which does not exist; delete the folder '{1}' and build again", relative, root);
                    return false;
                }

                var item = new TaskItem(full);
                item.SetMetadata("Model", modelName);
                item.SetMetadata("Variant", (string?)variant.Element("name") ?? string.Empty);
                item.SetMetadata("SizeBytes", (string?)variant.Element("sizeBytes") ?? string.Empty);
                item.SetMetadata("Top1", (string?)variant.Element("accuracy")?.Element("top1") ?? string.Empty);
                item.SetMetadata("TargetPath", prefix + relative!.Replace('\\', '/'));
                models.Add(item);
            }
        }

        Models = [.. models];
        Reports = [.. ReportFileNames
            .Select(name => Path.Combine(root, name))
            .Where(File.Exists)
            .Select(path =>
            {
                var item = new TaskItem(path);
                item.SetMetadata("TargetPath", prefix + Path.GetFileName(path));
                return (ITaskItem)item;
            })];
        return !Log.HasLoggedErrors;
    }

    private static IEnumerable<XElement> Items(XElement? array) => array?.Elements("item") ?? [];

    private static string NormalizeFolder(string folder)
    {
        var trimmed = folder.Replace('\\', '/').Trim('/');
        return trimmed.Length == 0 ? string.Empty : trimmed + "/";
    }

    private static bool IsInside(string path, string folder)
    {
        var root = folder.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? folder : folder + Path.DirectorySeparatorChar;
        return path.StartsWith(root, StringComparison.Ordinal);
    }
}
