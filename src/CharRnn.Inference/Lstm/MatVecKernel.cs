namespace CharRnn.Inference.Lstm;

/// <summary>How the engine multiplies its weight matrices by the state vector.</summary>
public enum MatVecKernel
{
    /// <summary><see cref="Portable"/>: the same text for the same seed on every machine and in the browser.</summary>
    Auto,
    /// <summary>
    /// 128-bit lanes, four accumulators over 16 columns, no fused multiply-adds, lanes summed in one fixed order: the
    /// same bits on every CPU and in the browser's WebAssembly module, which sums in exactly this order.
    /// </summary>
    Portable,
    /// <summary>256-bit SIMD over four rows at a time, with fused multiply-adds (AVX2, AVX-512): rounds differently from <see cref="Portable"/>, so a seed's text can differ.</summary>
    Vector256,
    /// <summary>One <c>System.Numerics.Tensors.TensorPrimitives.Dot</c> per row: the library's own kernel, kept to compare against.</summary>
    TensorPrimitives,
}
