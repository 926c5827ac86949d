using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>Grid walks every combination of the parameters' values; random draws each trial's values with the sweep's seed.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SweepMethod>))]
public enum SweepMethod { Grid, Random }

[JsonConverter(typeof(CamelCaseEnumConverter<EarlyStoppingKind>))]
public enum EarlyStoppingKind { Asha }

/// <summary>Running while any trial is queued, training or interrupted; completed when every trial has ended; cancelled by a person.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SweepStatus>))]
public enum SweepStatus { Running, Completed, Cancelled }
