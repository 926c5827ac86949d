namespace CharRnn.Inference.Lstm;

/// <summary>How the engine stores its weight matrices.</summary>
public enum WeightPrecision
{
    /// <summary>As trained: logits equal libtorch's to float rounding. The default.</summary>
    Float32,
    /// <summary>
    /// bfloat16 (the top 16 bits of each float): half the bytes to stream each character, so on a server whose
    /// memory bandwidth bounds sampling (as a 2×512 model's 12 MB a step does) it samples up to twice as fast.
    /// Logits move by about 1e-3; samples drawn with the same seed differ from float32's. Needs a hidden size
    /// that is a multiple of 16, else the weights stay float32.
    /// </summary>
    BFloat16,
}
