using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>What is wrong with a run as it trains, worst first: its loss runs away, it sits at the level of guessing by letter frequency, it overfits, or it stopped improving.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<HealthCondition>))]
public enum HealthCondition { Diverging, Stuck, Overfitting, Stalled }

/// <summary>A run's health warning (<c>health</c> on a run): the condition, the step it began at, and the numbers behind it with the usual remedy, in words.</summary>
public sealed record RunHealth(HealthCondition Condition, long Since, string Detail);
