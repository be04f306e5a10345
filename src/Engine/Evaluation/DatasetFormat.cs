namespace CompressionTasks.Evaluation;

/// <summary>How a dataset is stored (manifest <c>format</c>).</summary>
public enum DatasetFormat
{
    /// <summary>A folder of images: class subfolders, a <c>path,label</c> CSV, or a flat unlabelled folder.</summary>
    ImageFolder,

    /// <summary>A C-order <c>.npy</c> array whose first axis is the sample axis, with an optional integer labels <c>.npy</c>.</summary>
    Npy,

    /// <summary>A <c>.npz</c> archive (a zip of <c>.npy</c> members) holding the samples and optionally the labels.</summary>
    Npz,
}
