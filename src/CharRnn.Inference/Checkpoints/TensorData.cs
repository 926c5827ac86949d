namespace CharRnn.Inference.Checkpoints;

/// <summary>A named F32 tensor as it sits in a checkpoint: its shape and its values in row-major order.</summary>
public sealed record TensorData(int[] Shape, float[] Values)
{
    public static long ElementCount(IReadOnlyList<int> shape)
    {
        long count = 1;
        foreach (var d in shape) count *= d;
        return count;
    }

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
