using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>
/// What of an LSTM unit is read at a character, after the model has read it: its cell state, its output, or one of its
/// four gates after the gate's activation (PyTorch's order i, f, g, o). In this order a layer's state is laid out.
/// </summary>
[JsonConverter(typeof(CamelCaseEnumConverter<StateQuantity>))]
public enum StateQuantity
{
    /// <summary>The cell state c, the unit's memory. Pages show tanh(c), as the paper's figures do; the API gives c.</summary>
    C,
    /// <summary>The output h = σ(o)·tanh(c), what the next layer and the next character see.</summary>
    H,
    /// <summary>The input gate σ(i): how much of the candidate is written into c.</summary>
    I,
    /// <summary>The forget gate σ(f): how much of c is kept.</summary>
    F,
    /// <summary>The candidate tanh(g): what would be written.</summary>
    G,
    /// <summary>The output gate σ(o): how much of tanh(c) is shown as h.</summary>
    O,
}
