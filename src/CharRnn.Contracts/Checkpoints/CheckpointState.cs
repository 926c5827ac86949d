using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>Whether a checkpoint's file is there as it was written; written <c>ok</c>, <c>missing</c>, <c>damaged</c>.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<CheckpointState>))]
public enum CheckpointState
{
    Ok,
    /// <summary>Its file is not in the data folder.</summary>
    Missing,
    /// <summary>Its file's size is not the one written.</summary>
    Damaged,
}
