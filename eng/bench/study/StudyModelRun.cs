using CompressionTasks.Reports;

namespace CompressionTasks.Bench.Study;

/// <summary>Everything measured for one model: the tool's report, the child process and the tool-overhead timings.</summary>
public sealed record StudyModelRun(string SetName, StudyModel Model, CompressionReport Report, StudyMeasurements Measurements)
{
    public ModelReport ModelReport => Report.Models.Single(m => m.Name == Model.Name);

    public VariantReport Variant(string name) => ModelReport.Variants.Single(v => v.Name == name);

    public VariantReport Baseline => Variant(StudyVariants.Baseline);
}
