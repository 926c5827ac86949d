using System.Runtime.Intrinsics;

namespace CharRnn.Inference.Lstm;

/// <summary>
/// exp, log, sigmoid and tanh from plain IEEE arithmetic (adds, multiplies, one division), so they give the same bits on
/// every CPU and in the browser. Library versions differ in the last bit between glibc, the browser's runtime and
/// vector widths, and one bit can change a drawn character; the browser's WebAssembly module (wwwroot/lstm/lstm.wat)
/// computes the same operations in the same order. Never let a compiler fuse them into multiply-adds.
/// </summary>
public static class PortableMath
{
    private const double Log2E = 1.4426950408889634;
    // ln 2 split in two, so k·ln 2 is subtracted exactly for |k| < 2^20 (Cody and Waite).
    private const double Ln2High = 0.693145751953125;
    private const double Ln2Low = 1.4286068203094172321e-6;

    /// <summary>e^x to about 1e-15 relative for |x| ≤ 700; 0 below −700, +∞ above 700 (ample for gates and softmax).</summary>
    public static double Exp(double x)
    {
        if (x > 700) return double.PositiveInfinity;
        if (x < -700) return 0;
        // x = k·ln 2 + r with |r| ≤ ln 2 / 2, then e^x = 2^k · e^r.
        var k = Math.Round(x * Log2E, MidpointRounding.ToEven);
        var r = x - k * Ln2High - k * Ln2Low;
        // Taylor series of e^r to r^12 by Horner's rule: the next term is below 3e-16 for |r| ≤ 0.35.
        var p = 1.0 / 479001600;
        p = p * r + 1.0 / 39916800;
        p = p * r + 1.0 / 3628800;
        p = p * r + 1.0 / 362880;
        p = p * r + 1.0 / 40320;
        p = p * r + 1.0 / 5040;
        p = p * r + 1.0 / 720;
        p = p * r + 1.0 / 120;
        p = p * r + 1.0 / 24;
        p = p * r + 1.0 / 6;
        p = p * r + 0.5;
        p = p * r + 1.0;
        p = p * r + 1.0;
        return p * BitConverter.Int64BitsToDouble((long)(k + 1023) << 52);
    }

    /// <summary>ln x to about 1e-15 relative for a positive, finite x (beam search's totals); NaN for x ≤ 0.</summary>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsInfinity(x)) return x == 0 ? double.NegativeInfinity : double.IsPositiveInfinity(x) ? x : double.NaN;
        // x = m · 2^e with m in [√½, √2), then ln m = 2 atanh(s) = 2 (s + s³/3 + s⁵/5 + …) for s = (m − 1)/(m + 1), |s| ≤ 0.172.
        var e = Math.ILogB(x);
        var m = Math.ScaleB(x, -e);
        if (m > 1.4142135623730951) { m /= 2; e++; }
        var s = (m - 1) / (m + 1);
        var s2 = s * s;
        // Terms to s^23: the next is below 1e-17 of the sum. Horner's rule, highest power first.
        var p = 1.0 / 23;
        for (var n = 21; n >= 1; n -= 2) p = p * s2 + 1.0 / n;
        return e * Ln2High + (e * Ln2Low + 2 * s * p);
    }

    /// <summary>1 / (1 + e^−x), computed in double and rounded once to float.</summary>
    public static float Sigmoid(float x) => (float)(1.0 / (1.0 + Exp(-(double)x)));

    /// <summary>tanh x = sign(x)·(1 − e^−2|x|) / (1 + e^−2|x|), computed in double and rounded once to float.</summary>
    public static float Tanh(float x)
    {
        var e = Exp(-2.0 * Math.Abs((double)x));
        var t = (1.0 - e) / (1.0 + e);
        return (float)(x < 0 ? -t : t);
    }

    /// <summary>
    /// <see cref="Exp(double)"/> on four lanes at once, each lane through exactly the same operations (round to even, two
    /// products and subtractions, the same Horner steps, the same power of two), so each gives the same bits.
    /// </summary>
    public static Vector256<double> Exp(Vector256<double> x)
    {
        var k = Vector256.Round(x * Log2E);
        var r = x - k * Ln2High - k * Ln2Low;
        var p = Vector256.Create(1.0 / 479001600);
        p = p * r + Vector256.Create(1.0 / 39916800);
        p = p * r + Vector256.Create(1.0 / 3628800);
        p = p * r + Vector256.Create(1.0 / 362880);
        p = p * r + Vector256.Create(1.0 / 40320);
        p = p * r + Vector256.Create(1.0 / 5040);
        p = p * r + Vector256.Create(1.0 / 720);
        p = p * r + Vector256.Create(1.0 / 120);
        p = p * r + Vector256.Create(1.0 / 24);
        p = p * r + Vector256.Create(1.0 / 6);
        p = p * r + Vector256.Create(0.5);
        p = p * r + Vector256.Create(1.0);
        p = p * r + Vector256.Create(1.0);
        // 2^k: k + 1023 is a whole number in [0, 2047) here; adding 2^52 puts it in the low bits of the mantissa exactly,
        // and shifting by 52 moves it into the exponent (the scalar version's (long)(k + 1023) << 52, without a conversion).
        var scale = Vector256.ShiftLeft((k + Vector256.Create(1023.0 + 4503599627370496.0)).AsInt64(), 52).AsDouble();
        var result = p * scale;
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(700.0)), Vector256.Create(double.PositiveInfinity), result);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(-700.0)), Vector256<double>.Zero, result);
    }

    /// <summary><see cref="Sigmoid(float)"/> on four lanes (in double, as there).</summary>
    public static Vector256<double> Sigmoid(Vector256<double> x) => Vector256<double>.One / (Vector256<double>.One + Exp(-x));

    /// <summary><see cref="Tanh(float)"/> on four lanes (in double, as there).</summary>
    public static Vector256<double> Tanh(Vector256<double> x)
    {
        var e = Exp(Vector256.Create(-2.0) * Vector256.Abs(x));
        var t = (Vector256<double>.One - e) / (Vector256<double>.One + e);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), -t, t);
    }
}
