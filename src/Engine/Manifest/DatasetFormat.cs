namespace CompressionTasks.Manifest;

public enum DatasetFormat
{
    /// <summary>One subfolder per class, or images listed by a labels CSV.</summary>
    ImageFolder,

    /// <summary>An .npy array of inputs, labels in a second .npy.</summary>
    Npy,

    /// <summary>An .npz archive holding the input and label arrays.</summary>
    Npz,
}
