using CharRnn.Training.Loop;

namespace CharRnn.Training.Tests.Loop;

/// <summary>The training speed a person reads: characters a second over the last 50 steps, not one step's swing.</summary>
public class SpeedWindowTests
{
    [Fact]
    public void One_slow_step_among_fifty_moves_the_speed_by_a_little_not_by_five_times()
    {
        var speed = new SpeedWindow(characters: 1600);
        for (var i = 0; i < 49; i++) speed.Add(0.2);

        var afterSlow = speed.Add(1.0); // one step five times slower

        Assert.Equal(1600 * 50 / (49 * 0.2 + 1.0), afterSlow, 6);
        Assert.InRange(afterSlow, 7000, 7500); // against 8,000 a step at 0.2 s, and 1,600 for the slow step alone
    }

    [Fact]
    public void The_window_forgets_steps_older_than_fifty()
    {
        var speed = new SpeedWindow(characters: 100);
        Assert.Equal(0, speed.CharactersPerSecond);
        Assert.Equal(100, speed.Add(1.0));
        for (var i = 0; i < SpeedWindow.Steps; i++) speed.Add(0.5);

        Assert.Equal(200, speed.CharactersPerSecond, 9); // the 1-second step has left the window
    }
}
