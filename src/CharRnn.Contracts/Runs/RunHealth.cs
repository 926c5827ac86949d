using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>What is wrong with a run as it trains, worst first: its loss runs away, it sits at the level of guessing by letter frequency, it overfits, or it stopped improving.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<HealthCondition>))]
public enum HealthCondition { Diverging, Stuck, Overfitting, Stalled }

/// <summary>What one click on a health warning starts: the run again from scratch, or from its best checkpoint; either at half the rate.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<HealthRemedy>))]
public enum HealthRemedy { Restart, ResumeFromBest }

/// <summary>A run's health warning (<c>health</c> on a run): the condition, the step it began at, and the numbers behind it with the usual remedy, in words.</summary>
public sealed record RunHealth(HealthCondition Condition, long Since, string Detail)
{
    /// <summary>
    /// The one-click remedy: an overfitting run resumes from its best checkpoint, since what it learned before that is
    /// good and what came after is the trouble; a stuck, diverging or stalled one starts again.
    /// </summary>
    public HealthRemedy Remedy => Condition == HealthCondition.Overfitting ? HealthRemedy.ResumeFromBest : HealthRemedy.Restart;
}
