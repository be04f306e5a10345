using CompressionTasks.Evaluation;
using CompressionTasks.Manifest;

namespace CompressionTasks.Pipeline;

/// <summary>Turns a manifest dataset into what the evaluation engine reads.</summary>
public static class DatasetSources
{
    public static DatasetSource From(DatasetDefinition definition)
    {
        var p = definition.Preprocess;
        var preprocess = new PreprocessOptions
        {
            ColorMode = p.ColorMode,
            Resize = p.Resize switch
            {
                null => null,
                { ShorterSide: { } side } => ResizeOptions.Shorter(side),
                { Height: { } h, Width: { } w } => ResizeOptions.Exact(h, w),
                _ => null,
            },
            CenterCrop = p.CenterCrop is [var ch, var cw] ? (ch, cw) : null,
            Scale = p.Scale,
            Mean = p.Mean,
            Std = p.Std,
            Layout = p.Layout,
        };
        return new DatasetSource(
            definition.Name,
            definition.Format,
            definition.Path,
            definition.LabelsPath,
            definition.ClassNames,
            definition.Limit,
            definition.Sampling,
            definition.Seed,
            preprocess)
        {
            ArrayKey = definition.InputArray,
            LabelsKey = definition.LabelArray,
            BatchSize = definition.BatchSize,
            MaxInvalid = definition.MaxInvalid,
            Except = definition.Except,
        };
    }
}
