namespace CharRnn.Inference;

/// <summary>How the engine multiplies its weight matrices by the state vector.</summary>
public enum MatVecKernel
{
    /// <summary>The fastest measured on this platform: <see cref="Vector128"/> in the browser, <see cref="TensorPrimitives"/> elsewhere.</summary>
    Auto,
    /// <summary>Explicit 128-bit SIMD: the only SIMD width the browser's jiterpreter runs fast.</summary>
    Vector128,
    /// <summary><c>System.Numerics.Tensors.TensorPrimitives.Dot</c>: AVX2/AVX-512 on servers.</summary>
    TensorPrimitives,
}
