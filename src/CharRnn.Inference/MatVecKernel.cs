namespace CharRnn.Inference;

/// <summary>How the engine multiplies its weight matrices by the state vector.</summary>
public enum MatVecKernel
{
    /// <summary>The fastest measured on this platform: <see cref="Vector256"/> where the CPU has 256-bit SIMD, else <see cref="Vector128"/> (the browser).</summary>
    Auto,
    /// <summary>256-bit SIMD over four rows at a time, with fused multiply-adds: servers (AVX2, AVX-512).</summary>
    Vector256,
    /// <summary>Explicit 128-bit SIMD: the only SIMD width the browser's jiterpreter runs fast.</summary>
    Vector128,
    /// <summary>One <c>System.Numerics.Tensors.TensorPrimitives.Dot</c> per row: the library's own kernel, kept to compare against.</summary>
    TensorPrimitives,
}
