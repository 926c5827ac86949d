using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>What a run's forward and backward passes compute in: what a <see cref="PrecisionChoice"/> became where it trains (<see cref="RunDto.Precision"/>).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<TrainingPrecision>))]
public enum TrainingPrecision { Float32, Bfloat16 }
